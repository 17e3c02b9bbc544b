//! `eval`: a model bundle's figures on the held-out test splits, the native figures the
//! literature reports, and the unintended-bias audit on the identity templates.

use super::datasets::{self, Example, Split, Use};
use super::metrics::{accuracy, macro_f1, roc_auc, Confusion};
use super::pipeline::{apply_slur_floor, evaluate, featurize, predict_matrix, Progress};
use crate::features::slur_floor::SlurFloor;
use crate::features::FeatureSpace;
use crate::lexicon::Lexicon;
use crate::model::{Bundle, Label, LinearModel, SplitFigures};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A figure the literature reports for a data set, next to ours.
#[derive(Debug, Clone, Serialize)]
pub struct NativeFigure {
    /// Data set.
    pub dataset: String,
    /// What is measured (e.g. "3-class accuracy").
    pub metric: String,
    /// Our value.
    pub ours: f64,
    /// Published value and who published it.
    pub published: String,
    /// Rows measured.
    pub rows: usize,
}

/// One identity term's line of the bias audit.
#[derive(Debug, Clone, Serialize)]
pub struct TermFigures {
    /// The identity term.
    pub term: String,
    /// Rows containing it.
    pub rows: usize,
    /// Subgroup ROC AUC of the toxic score.
    pub roc_auc: Option<f64>,
    /// False-positive rate of the `toxic` flag on its non-toxic sentences.
    pub fpr_toxic: f64,
    /// False-positive rate of a hateful flag (identity_attack, dehumanising or slur) on its
    /// non-toxic sentences.
    pub fpr_hateful: f64,
}

/// The unintended-bias audit (evaluation-only templates).
#[derive(Debug, Clone, Serialize, Default)]
pub struct BiasAudit {
    /// Overall ROC AUC of the toxic score on the templates.
    pub roc_auc: Option<f64>,
    /// Per identity term.
    pub terms: Vec<TermFigures>,
    /// Median over terms of `fpr_hateful`.
    pub median_fpr_hateful: f64,
    /// Largest `fpr_hateful` and its term.
    pub max_fpr_hateful: (String, f64),
    /// Median and max of `fpr_toxic`.
    pub median_fpr_toxic: f64,
    /// Largest `fpr_toxic` and its term.
    pub max_fpr_toxic: (String, f64),
    /// ROC AUC on the Wikipedia comments with identity terms, as published and with the terms
    /// swapped at random (a gap is a bias signal).
    pub wiki_auc: Option<(f64, f64)>,
}

/// Everything `eval` measures.
#[derive(Debug, Clone, Serialize, Default)]
pub struct EvalReport {
    /// Per (data set, test split, label).
    pub figures: Vec<SplitFigures>,
    /// Figures comparable to published ones.
    pub native: Vec<NativeFigure>,
    /// The bias audit, when its data is present.
    pub bias: Option<BiasAudit>,
    /// Every test row's probabilities, for [`write_test_scores`] (not in the JSON).
    #[serde(skip)]
    pub test_scores: Vec<RowScores>,
}

/// One test row's probabilities, in the model's label order.
#[derive(Debug, Clone, Default)]
pub struct RowScores {
    /// Data set.
    pub dataset: &'static str,
    /// The row's text (to check that two score files line up).
    pub text: String,
    /// Probability per model label.
    pub probs: Vec<f32>,
}

/// Writes `<dataset>.test.scores.csv` per data set of `report.test_scores`: columns `text` and
/// one per model label, rows in the order of the exported test split
/// (`datasets::export_splits`), so that per-row figures such as bootstrap intervals
/// (`scripts/baseline/compare.py --ours-scores`) can pair them with another model's.
pub fn write_test_scores(report: &EvalReport, labels: &[Label], out_dir: &Path) -> Result<()> {
    std::fs::create_dir_all(out_dir).map_err(|e| Error::from(e).in_file(out_dir))?;
    let mut groups: BTreeMap<&str, Vec<&RowScores>> = BTreeMap::new();
    for r in &report.test_scores {
        groups.entry(r.dataset).or_default().push(r);
    }
    for (dataset, rows) in groups {
        let path = out_dir.join(format!("{dataset}.test.scores.csv"));
        let werr = |e: csv::Error| Error::dataset(dataset, e.to_string()).in_file(&path);
        let mut w = csv::Writer::from_path(&path).map_err(werr)?;
        let mut header = vec!["text"];
        header.extend(labels.iter().map(|l| l.name()));
        w.write_record(&header).map_err(werr)?;
        for r in rows {
            let mut rec = vec![r.text.clone()];
            rec.extend(r.probs.iter().map(|p| p.to_string()));
            w.write_record(&rec).map_err(werr)?;
        }
        w.flush().map_err(|e| Error::from(e).in_file(&path))?;
    }
    Ok(())
}

/// Builds the feature space a bundle was trained with.
pub fn space_of(bundle: &Bundle) -> Result<FeatureSpace> {
    FeatureSpace::from_bundle_config(&bundle.feature_space, Lexicon::default())
}

fn flagged(model: &LinearModel, probs: &[f32], label: Label) -> bool {
    model
        .label_index(label)
        .map(|i| probs[i] >= model.thresholds()[i])
        .unwrap_or(false)
}

fn hateful(model: &LinearModel, probs: &[f32]) -> bool {
    Label::ALL
        .iter()
        .any(|&l| l.is_hateful() && flagged(model, probs, l))
}

/// Scores `examples` with the bundle.
fn score(
    bundle: &Bundle,
    space: &FeatureSpace,
    examples: &[Example],
    progress: &dyn Progress,
) -> Result<Vec<Vec<f32>>> {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let (x, cues, plain_slurs) = featurize(space, &texts, progress)?;
    let cues = if space.config().stacked {
        &cues[..]
    } else {
        &[]
    };
    let mut probs = predict_matrix(&bundle.model, &x, cues);
    if let Some(f) = SlurFloor::of_bundle(bundle)? {
        apply_slur_floor(&bundle.model, &f, &mut probs, &plain_slurs);
    }
    Ok(probs)
}

/// Evaluates a bundle on every test split under `root`, plus the bias audit.
pub fn evaluate_bundle(
    bundle: &Bundle,
    root: &Path,
    progress: &dyn Progress,
) -> Result<EvalReport> {
    let space = space_of(bundle)?;
    let m = &bundle.model;
    let mut test: Vec<Example> = Vec::new();
    for d in datasets::DATASETS.iter().filter(|d| d.usage == Use::Train) {
        test.extend(
            datasets::load(d.name, root)?
                .into_iter()
                .filter(|e| e.split == Split::Test),
        );
    }
    let probs = score(bundle, &space, &test, progress)?;
    let mut report = EvalReport {
        figures: evaluate(m, &test, &probs, &[Split::Test]),
        ..EvalReport::default()
    };

    // Native figures.
    let rows = |name: &str| -> Vec<usize> {
        (0..test.len())
            .filter(|&i| test[i].dataset == name && test[i].native.is_some())
            .collect()
    };
    let hx = rows("hatexplain");
    if !hx.is_empty() {
        let class = |s: &str| match s {
            "hatespeech" => 0usize,
            "offensive" => 1,
            _ => 2,
        };
        let truth: Vec<usize> = hx
            .iter()
            .map(|&i| class(test[i].native.as_ref().map(|n| n.as_str()).unwrap_or("")))
            .collect();
        let pred: Vec<usize> = hx
            .iter()
            .map(|&i| {
                if flagged(m, &probs[i], Label::IdentityAttack) {
                    0
                } else if flagged(m, &probs[i], Label::Toxic) {
                    1
                } else {
                    2
                }
            })
            .collect();
        report.native.push(NativeFigure {
            dataset: "hatexplain".into(),
            metric: "3-class accuracy (official test)".into(),
            ours: accuracy(&pred, &truth),
            published: "BERT-HateXplain 0.698; CNN-GRU 0.629".into(),
            rows: hx.len(),
        });
        report.native.push(NativeFigure {
            dataset: "hatexplain".into(),
            metric: "3-class macro-F1 (official test)".into(),
            ours: macro_f1(&pred, &truth, 3),
            published: "BERT-HateXplain 0.687; CNN-GRU 0.606".into(),
            rows: hx.len(),
        });
    }
    let sf = rows("stormfront_degibert2018");
    if !sf.is_empty() {
        let truth: Vec<bool> = sf
            .iter()
            .map(|&i| {
                test[i]
                    .native
                    .as_ref()
                    .map(|n| n.as_str() == "hate")
                    .unwrap_or(false)
            })
            .collect();
        let pred: Vec<bool> = sf.iter().map(|&i| hateful(m, &probs[i])).collect();
        report.native.push(NativeFigure {
            dataset: "stormfront_degibert2018".into(),
            metric: "balanced test accuracy (hate vs noHate)".into(),
            ours: accuracy(&pred, &truth),
            published: "LSTM 0.78 (de Gibert et al. 2018)".into(),
            rows: sf.len(),
        });
    }
    let dv = rows("davidson2017");
    if !dv.is_empty() {
        let truth: Vec<bool> = dv
            .iter()
            .map(|&i| {
                test[i]
                    .native
                    .as_ref()
                    .map(|n| n.as_str() == "hate_speech")
                    .unwrap_or(false)
            })
            .collect();
        let pred: Vec<bool> = dv
            .iter()
            .map(|&i| flagged(m, &probs[i], Label::IdentityAttack))
            .collect();
        report.native.push(NativeFigure {
            dataset: "davidson2017".into(),
            metric: "hate-class F1 (seeded held-out 10%)".into(),
            ours: Confusion::from_predictions(&pred, &truth).f1(),
            published:
                "0.51 hate-class F1 in the paper (precision 0.44, recall 0.61; different split)"
                    .into(),
            rows: dv.len(),
        });
    }

    // Bias audit.
    let templates = datasets::load("conversationai_bias_templates", root);
    if let Ok(rows) = templates {
        report.bias = Some(bias_audit(bundle, &space, &rows, root, progress)?);
    }
    report.test_scores = test
        .into_iter()
        .zip(probs)
        .map(|(e, probs)| RowScores {
            dataset: e.dataset,
            text: e.text,
            probs,
        })
        .collect();
    Ok(report)
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn bias_audit(
    bundle: &Bundle,
    space: &FeatureSpace,
    rows: &[Example],
    root: &Path,
    progress: &dyn Progress,
) -> Result<BiasAudit> {
    let m = &bundle.model;
    let ti = m
        .label_index(Label::Toxic)
        .ok_or_else(|| Error::model("the model has no toxic label"))?;
    let probs = score(bundle, space, rows, progress)?;
    let truth: Vec<bool> = rows
        .iter()
        .map(|e| e.label(Label::Toxic).unwrap_or(false))
        .collect();
    let tox: Vec<f32> = probs.iter().map(|p| p[ti]).collect();
    let mut by_term: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in rows.iter().enumerate() {
        if let Some(t) = &e.target {
            for term in t.split([',', '|', ';']) {
                by_term.entry(term.trim().to_string()).or_default().push(i);
            }
        }
    }
    let mut terms = Vec::new();
    for (term, idx) in by_term {
        let t: Vec<bool> = idx.iter().map(|&i| truth[i]).collect();
        let s: Vec<f32> = idx.iter().map(|&i| tox[i]).collect();
        let neg: Vec<usize> = idx.iter().copied().filter(|&i| !truth[i]).collect();
        let rate = |f: &dyn Fn(usize) -> bool| -> f64 {
            if neg.is_empty() {
                0.0
            } else {
                neg.iter().filter(|&&i| f(i)).count() as f64 / neg.len() as f64
            }
        };
        terms.push(TermFigures {
            term,
            rows: idx.len(),
            roc_auc: roc_auc(&s, &t),
            fpr_toxic: rate(&|i| flagged(m, &probs[i], Label::Toxic)),
            fpr_hateful: rate(&|i| hateful(m, &probs[i])),
        });
    }
    let max_of = |f: fn(&TermFigures) -> f64| {
        terms
            .iter()
            .map(|t| (t.term.clone(), f(t)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or_default()
    };
    let mut audit = BiasAudit {
        roc_auc: roc_auc(&tox, &truth),
        median_fpr_hateful: median(terms.iter().map(|t| t.fpr_hateful).collect()),
        max_fpr_hateful: max_of(|t| t.fpr_hateful),
        median_fpr_toxic: median(terms.iter().map(|t| t.fpr_toxic).collect()),
        max_fpr_toxic: max_of(|t| t.fpr_toxic),
        terms,
        wiki_auc: None,
    };
    if let Ok(wiki) = datasets::load("conversationai_bias_wiki", root) {
        let p = score(bundle, space, &wiki, progress)?;
        let auc_of = |native: &str| {
            let (s, t): (Vec<f32>, Vec<bool>) = wiki
                .iter()
                .zip(&p)
                .filter(|(e, _)| {
                    e.native
                        .as_ref()
                        .map(|n| n.as_str() == native)
                        .unwrap_or(false)
                })
                .filter_map(|(e, pr)| e.label(Label::Toxic).map(|t| (pr[ti], t)))
                .unzip();
            roc_auc(&s, &t)
        };
        if let (Some(a), Some(b)) = (auc_of("nonfuzzed"), auc_of("fuzzed")) {
            audit.wiki_auc = Some((a, b));
        }
    }
    Ok(audit)
}
