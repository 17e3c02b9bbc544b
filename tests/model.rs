//! The sparse trainers, the compact linear model, calibration and the model bundle.

use commentguard::model::{
    fit_labels, fit_masked, out_of_fold, Bundle, Calibrator, FtrlParams, Label, LinearModel,
    ModelCard, Quantization, SparseLogistic, SparseLogisticParams, SparseMatrix, SplitFigures,
    FORMAT_VERSION,
};
use commentguard::train::metrics::{roc_auc, Confusion};
use commentguard::ErrorKind;
use linfa::prelude::*;
use linfa::DatasetBase;
use ndarray::Array1;

/// A small seeded generator, so the tests need no RNG crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Rows of `nnz` random features over `n_cols`; positives also carry features from `0..8`,
/// negatives from `8..16`. `noise` is the fraction of labels flipped.
fn synthetic(
    n: usize,
    n_cols: usize,
    nnz: usize,
    noise: f64,
    seed: u64,
) -> (SparseMatrix, Vec<bool>) {
    let mut rng = Rng(seed);
    let mut x = SparseMatrix::new(n_cols);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let pos = rng.below(2) == 1;
        let mut b = x.row_builder();
        for _ in 0..nnz {
            b.push(16 + rng.below(n_cols as u64 - 16) as u32, 1.0);
        }
        for _ in 0..2 {
            let sig = rng.below(8) as u32 + if pos { 0 } else { 8 };
            b.push(sig, 1.0);
        }
        b.finish().unwrap();
        y.push(if rng.unit() < noise { !pos } else { pos });
    }
    (x, y)
}

fn auc_of(m: &SparseLogistic, x: &SparseMatrix, y: &[bool]) -> f64 {
    roc_auc(&m.predict_proba_matrix(x), y).unwrap()
}

/// The data of scripts/golden/logreg.py.
fn golden_problem() -> (SparseMatrix, Vec<bool>) {
    let mut x = SparseMatrix::new(6);
    let mut y = Vec::new();
    for i in 0..80i64 {
        let mut t = 0i64;
        let mut b = x.row_builder();
        for j in 0..6i64 {
            let k = (7 * i + 13 * j + i * j) % 17;
            if (i + 2 * j) % 3 != 0 {
                b.push(j as u32, k as f32 / 8.0 - 1.0);
                t += [3, -2, 1, 0, 0, 1][j as usize] * (k - 8);
            }
        }
        b.finish().unwrap();
        t += ((31 * i) % 7) * 4 - 12;
        y.push(t > 0);
    }
    (x, y)
}

#[test]
fn lbfgs_matches_sklearn() {
    // Golden values: scripts/golden/logreg.py (scikit-learn 1.9.1, lbfgs, tol 1e-12).
    let (x, y) = golden_problem();
    assert_eq!(y.iter().filter(|v| **v).count(), 39);
    let cases: [(f64, bool, [f64; 6], f64); 2] = [
        (
            1.0,
            false,
            [
                2.748074899410431,
                -1.6394032174502617,
                -0.2583689223463818,
                -0.29007617848140393,
                0.23236305575092855,
                1.3905367236357242,
            ],
            -0.06980830258364736,
        ),
        (
            0.1,
            true,
            [
                0.7741633859691073,
                -0.5391290879775714,
                -0.08928786689507061,
                0.03057392666232918,
                0.06543387634319336,
                0.4033961638353342,
            ],
            -0.019434531547005186,
        ),
    ];
    for (c, balanced, w, b) in cases {
        let ds = DatasetBase::new(x.clone(), Array1::from_vec(y.clone()));
        let m = SparseLogisticParams::new()
            .c(c)
            .balanced(balanced)
            .tolerance(1e-10)
            .max_iter(500)
            .fit(&ds)
            .unwrap();
        // Tolerance 1e-4 absolute: both solvers stop on a gradient tolerance, and ours
        // stores f32 weights.
        for (got, want) in m.weights.iter().zip(w) {
            assert!(
                (f64::from(*got) - want).abs() < 1e-4,
                "C={c}: {got} vs {want}"
            );
        }
        assert!(
            (f64::from(m.bias) - b).abs() < 1e-4,
            "C={c}: bias {} vs {b}",
            m.bias
        );
    }
}

#[test]
fn lbfgs_learns_separable_and_noisy_problems() {
    let (x, y) = synthetic(600, 2000, 20, 0.0, 1);
    let ds = DatasetBase::new(x.clone(), Array1::from_vec(y.clone()));
    let m = SparseLogisticParams::new().c(10.0).fit(&ds).unwrap();
    assert_eq!(auc_of(&m, &x, &y), 1.0);
    let pred: Array1<bool> = m.predict(&x);
    let c = Confusion::from_predictions(pred.as_slice().unwrap(), &y);
    assert!(c.accuracy() >= 0.99, "{c:?}");
    assert!(m.nnz() > 1000, "weights learned: {}", m.nnz());
    for k in 0..8 {
        assert!(m.weights[k] > 0.5 && m.weights[k + 8] < -0.5, "signal {k}");
    }

    let (x, y) = synthetic(1200, 2000, 20, 0.15, 2);
    let (xt, yt) = synthetic(600, 2000, 20, 0.15, 3);
    let ds = DatasetBase::new(x, Array1::from_vec(y));
    let m = SparseLogisticParams::new().c(0.5).fit(&ds).unwrap();
    let auc = auc_of(&m, &xt, &yt);
    assert!(auc > 0.80, "held-out AUC {auc}");
}

#[test]
fn ftrl_learns_and_updates_incrementally() {
    let (x, y) = synthetic(1200, 2000, 20, 0.15, 4);
    let (xt, yt) = synthetic(600, 2000, 20, 0.15, 5);
    let ds = DatasetBase::new(x, Array1::from_vec(y));
    let m = FtrlParams::new().fit(&ds).unwrap();
    let auc = auc_of(&m, &xt, &yt);
    assert!(auc > 0.80, "held-out AUC {auc}");
    assert!(m.weights[0] > 0.0 && m.weights[8] < 0.0);

    // Moderators now mark rows carrying feature 100 as abusive, whatever else they hold.
    let mut new = SparseMatrix::new(2000);
    for k in 0..40u32 {
        new.push_row([(100, 1.0), (8 + k % 8, 1.0)]).unwrap();
    }
    let probe = {
        let mut p = SparseMatrix::new(2000);
        p.push_row([(100, 1.0), (9, 1.0)]).unwrap();
        p
    };
    let before = m.predict_proba(&probe.row(0).unwrap());
    let upd = DatasetBase::new(new, Array1::from_elem(40, true));
    let m2 = FtrlParams::new()
        .passes(1)
        .fit_with(Some(&m), &upd)
        .unwrap();
    let after = m2.predict_proba(&probe.row(0).unwrap());
    assert!(after > before + 0.2, "{before} -> {after}");
    // Untouched features keep their weights.
    assert_eq!(m2.weights[5], m.weights[5]);
    // Starting from an L-BFGS model works the same way.
    let lb = SparseLogisticParams::new().fit(&ds).unwrap();
    let lb2 = FtrlParams::new()
        .passes(1)
        .fit_with(Some(&lb), &upd)
        .unwrap();
    assert!(
        lb2.predict_proba(&probe.row(0).unwrap()) > lb.predict_proba(&probe.row(0).unwrap()) + 0.2
    );
}

#[test]
fn label_masks_exclude_rows() {
    let (x, y) = synthetic(400, 500, 10, 0.0, 6);
    // Label 1 is annotated only on the first 200 rows; the rest carry "false" in `y` but are
    // not annotated, and must not count as negatives.
    let col0: Vec<Option<bool>> = y.iter().map(|v| Some(*v)).collect();
    let col1: Vec<Option<bool>> = y
        .iter()
        .enumerate()
        .map(|(r, v)| (r < 200).then_some(*v))
        .collect();
    let solver = SparseLogisticParams::new().check().unwrap();
    let models = fit_labels(&solver, &x, &[col0, col1], None, None).unwrap();
    let rows: Vec<usize> = (0..200).collect();
    let sub = x.select_rows(&rows);
    let alone = SparseLogisticParams::new()
        .fit(&DatasetBase::new(sub, Array1::from_vec(y[..200].to_vec())))
        .unwrap();
    assert_eq!(models[1], alone, "masked rows must be left out");
    let mask: Vec<bool> = (0..400).map(|r| r < 200).collect();
    let masked = fit_masked(&solver, &x, &y, Some(&mask), None).unwrap();
    assert_eq!(masked, alone);
    // Treating unannotated rows as negatives would give another model.
    let all_false: Vec<bool> = y.iter().enumerate().map(|(r, v)| r < 200 && *v).collect();
    let wrong = fit_masked(&solver, &x, &all_false, None, None).unwrap();
    assert_ne!(wrong, alone);
    assert_ne!(models[0], models[1]);
    // A label with no annotated row is an error.
    let err = fit_labels(&solver, &x, &[vec![None; 400]], None, None).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::InvalidParameter {
            name: "targets",
            ..
        }
    ));
}

#[test]
fn params_are_checked_before_fitting() {
    let (x, y) = synthetic(20, 50, 3, 0.0, 7);
    let ds = DatasetBase::new(x, Array1::from_vec(y));
    let name = |r: commentguard::Result<SparseLogistic>| match r.unwrap_err().into_kind() {
        ErrorKind::InvalidParameter { name, .. } => name,
        k => panic!("{k:?}"),
    };
    assert_eq!(name(SparseLogisticParams::new().c(0.0).fit(&ds)), "c");
    assert_eq!(name(SparseLogisticParams::new().c(f64::NAN).fit(&ds)), "c");
    assert_eq!(
        name(SparseLogisticParams::new().max_iter(0).fit(&ds)),
        "max_iter"
    );
    assert_eq!(
        name(SparseLogisticParams::new().tolerance(-1.0).fit(&ds)),
        "tolerance"
    );
    assert_eq!(name(FtrlParams::new().alpha(-0.1).fit(&ds)), "alpha");
    assert_eq!(name(FtrlParams::new().l2(f64::NAN).fit(&ds)), "l2");
    let short = DatasetBase::new(SparseMatrix::new(50), Array1::from_vec(vec![true]));
    assert_eq!(name(SparseLogisticParams::new().fit(&short)), "targets");
}

#[test]
fn calibration_maps_minority_positives_the_right_way() {
    // Positives are the minority, so linfa-logistic's "pos" class is `false` here.
    let (x, y) = synthetic(1350, 1000, 10, 0.1, 8);
    let keep: Vec<usize> = (0..1350).filter(|&r| !y[r] || r % 3 == 0).collect();
    let x = x.select_rows(&keep);
    let y: Vec<bool> = keep.iter().map(|&r| y[r]).collect();
    let n = y.len();
    assert!(y.iter().filter(|v| **v).count() * 3 < n);
    let solver = SparseLogisticParams::new().check().unwrap();
    let oof = out_of_fold(&solver, &x, &y, None, None, 5, 11).unwrap();
    assert!(oof.iter().all(|v| v.is_finite()));
    let auc = roc_auc(&oof, &y).unwrap();
    assert!(auc > 0.75, "out-of-fold AUC {auc}");
    let cal = Calibrator::fit_platt(&oof, &y).unwrap();
    assert!(cal.weights[0] > 0.0, "{cal:?}");
    assert!(cal.probability(&[4.0]) > cal.probability(&[-4.0]));
    // The mean calibrated probability is close to the base rate.
    let mean: f64 = oof
        .iter()
        .map(|z| cal.probability(&[f64::from(*z)]))
        .sum::<f64>()
        / n as f64;
    let rate = y.iter().filter(|v| **v).count() as f64 / n as f64;
    assert!((mean - rate).abs() < 0.02, "{mean} vs {rate}");
    // A mask leaves rows out: they get NaN.
    let mask: Vec<bool> = (0..n).map(|r| r % 10 != 0).collect();
    let oof = out_of_fold(&solver, &x, &y, Some(&mask), None, 3, 1).unwrap();
    assert!(oof[0].is_nan() && oof[1].is_finite());
}

fn tiny_model() -> LinearModel {
    let a = SparseLogistic {
        weights: vec![0.5, -1.0, 0.0, 2.0],
        bias: -0.25,
    };
    let b = SparseLogistic {
        weights: vec![0.0, 0.3, -0.6, 0.0],
        bias: 0.1,
    };
    LinearModel::from_models(&[Label::Toxic, Label::Slur], &[a, b], 4, Quantization::I8)
        .unwrap()
        .with_thresholds(&[0.4, 0.7])
        .unwrap()
        .with_calibrators(vec![
            Calibrator {
                weights: vec![1.5, 0.25],
                intercept: -0.5,
            },
            Calibrator::identity(),
        ])
        .unwrap()
}

fn tiny_bundle() -> Bundle {
    let mut card = ModelCard {
        name: "tiny".into(),
        created: "2026-11-22T00:00:00Z".into(),
        command_line: vec!["commentguard".into(), "train".into()],
        ..ModelCard::default()
    };
    card.seeds.insert("split".into(), 7);
    card.data_checksums.insert("x.csv".into(), "ab12".into());
    card.splits.push(SplitFigures {
        dataset: "x".into(),
        split: "test".into(),
        label: Label::Slur,
        rows: 10,
        positives: 3,
        roc_auc: Some(0.75),
        average_precision: None,
        precision: 0.5,
        recall: 1.0,
        f1: 0.6666666666666666,
        threshold: 0.7,
    });
    let mut b = Bundle::new(
        card,
        serde_json::json!({"buckets": 4, "ngrams": [1, 2]}),
        tiny_model(),
    );
    b.tokenizer_json = Some(br#"{"version":"1.0"}"#.to_vec());
    b
}

#[test]
fn linear_model_scores_all_labels_within_the_quantisation_bound() {
    let (x, y) = synthetic(300, 4096, 30, 0.1, 9);
    let solver = SparseLogisticParams::new().check().unwrap();
    let cols: Vec<Vec<Option<bool>>> = vec![
        y.iter().map(|v| Some(*v)).collect(),
        y.iter().map(|v| Some(!*v)).collect(),
    ];
    let models = fit_labels(&solver, &x, &cols, None, None).unwrap();
    for q in [Quantization::I8, Quantization::I16] {
        let lm =
            LinearModel::from_models(&[Label::Insult, Label::Threat], &models, 4096, q).unwrap();
        let mut worst = 0.0f32;
        for row in x.rows() {
            let z = lm.logits(&row);
            for l in 0..2 {
                let exact = models[l].decision(&row);
                let d = (z[l] - exact).abs();
                assert!(d <= lm.error_bound(l, &row) + 1e-4, "{q:?} {d}");
                worst = worst.max(d);
            }
        }
        let limit = if q == Quantization::I8 { 0.1 } else { 1e-3 };
        assert!(worst < limit, "{q:?}: worst logit error {worst}");
    }
    let m = tiny_model();
    let mut r = SparseMatrix::new(4);
    r.push_row([(0, 1.0), (3, 0.5)]).unwrap();
    let row = r.row(0).unwrap();
    let z = m.logits(&row);
    assert!(
        (z[0] - 1.25).abs() < 0.01 && (z[1] - 0.1).abs() < 1e-6,
        "{z:?}"
    );
    assert_eq!(
        m.contributions(0, &row)
            .iter()
            .map(|c| c.0)
            .collect::<Vec<_>>(),
        [3, 0]
    );
    let p = m.probabilities(&row, &[2.0]);
    let want = 1.0 / (1.0 + (-(1.5 * f64::from(z[0]) + 0.5 - 0.5)).exp());
    assert!((f64::from(p[0]) - want).abs() < 1e-6);
    assert_eq!(m.weight_bytes(), 8);
}

#[test]
fn bundle_round_trip_and_golden() {
    let b = tiny_bundle();
    let bytes = b.to_bytes().unwrap();
    assert_eq!(&bytes[..12], b"\x89CGMODEL\x01\x00\x00\x00");
    assert_eq!(
        u64::from_le_bytes(bytes[12..20].try_into().unwrap()),
        bytes.len() as u64
    );
    let back = Bundle::from_bytes(&bytes).unwrap();
    assert_eq!(back, b);
    assert_eq!(back.to_bytes().unwrap(), bytes);
    // Golden: the exact encoding of this bundle in format version 1. If this changes, the
    // format changed: bump FORMAT_VERSION.
    assert_eq!(FORMAT_VERSION, 1);
    assert_eq!(
        (bytes.len(), hex(&bytes[bytes.len() - 32..]).as_str()),
        (GOLDEN_LEN, GOLDEN_SHA256)
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.cgm");
    b.save(&path).unwrap();
    b.save(&path).unwrap(); // overwrites atomically
    assert_eq!(Bundle::load(&path).unwrap(), b);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp files left"
    );
}

const GOLDEN_LEN: usize = 753;
const GOLDEN_SHA256: &str = "0fc4596af17515f45ae5d90fb0b2c34e1dcd6dd34fd49de618cab98ddfaeba6a";

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn model_message(r: commentguard::Result<Bundle>) -> String {
    match r.unwrap_err().into_kind() {
        ErrorKind::Model { message } => message,
        k => panic!("{k:?}"),
    }
}

/// Re-seals `body` (everything but the checksum) with a fresh length and checksum, to test the
/// checks that come after the checksum.
fn reseal(mut body: Vec<u8>) -> Vec<u8> {
    use sha2::Digest;
    let total = (body.len() + 32) as u64;
    body[12..20].copy_from_slice(&total.to_le_bytes());
    let sum = sha2::Sha256::digest(&body);
    body.extend_from_slice(&sum);
    body
}

#[test]
fn damaged_bundles_are_refused_with_the_reason() {
    let bytes = tiny_bundle().to_bytes().unwrap();
    let n = bytes.len();
    assert_eq!(
        model_message(Bundle::from_bytes(&bytes[..n - 1])),
        format!("file truncated: header says {n} bytes, found {}", n - 1)
    );
    assert_eq!(
        model_message(Bundle::from_bytes(&bytes[..10])),
        "file too short to be a model bundle (10 bytes)"
    );
    let mut more = bytes.clone();
    more.push(0);
    assert_eq!(
        model_message(Bundle::from_bytes(&more)),
        format!(
            "file has trailing bytes: header says {n} bytes, found {}",
            n + 1
        )
    );
    for pos in [30, n / 2, n - 40, n - 1] {
        let mut flip = bytes.clone();
        flip[pos] ^= 0x01;
        assert_eq!(
            model_message(Bundle::from_bytes(&flip)),
            "checksum mismatch: the file is damaged",
            "byte {pos}"
        );
    }
    let mut v2 = bytes.clone();
    v2[8] = 2;
    assert_eq!(
        model_message(Bundle::from_bytes(&v2)),
        "unsupported model format version 2 (this build reads version 1)"
    );
    let mut magic = bytes.clone();
    magic[1] = b'X';
    assert_eq!(
        model_message(Bundle::from_bytes(&magic)),
        "not a commentguard model bundle (bad magic bytes)"
    );
    // Checks after the checksum: a header edited and re-sealed.
    let body = bytes[..n - 32].to_vec();
    let edit = |from: &str, to: &str| {
        let i = body
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap();
        let mut b = body[..i].to_vec();
        b.extend_from_slice(to.as_bytes());
        b.extend_from_slice(&body[i + from.len()..]);
        let hlen = u32::from_le_bytes(b[20..24].try_into().unwrap()) as usize;
        let hlen = (hlen + to.len() - from.len()) as u32;
        b[20..24].copy_from_slice(&hlen.to_le_bytes());
        Bundle::from_bytes(&reseal(b))
    };
    assert!(edit("\"n_buckets\":4", "\"n_buckets\":4").is_ok());
    assert_eq!(
        model_message(edit("\"n_buckets\":4", "\"n_buckets\":5")),
        "weights section has 8 bytes, expected 10 (5 buckets × 2 labels × 1 bytes)"
    );
    assert_eq!(
        model_message(edit(
            "\"labels\":[\"toxic\",\"slur\"]",
            "\"labels\":[\"toxic\",\"slyr\"]"
        )),
        "unknown label \"slyr\" in the model"
    );
    assert_eq!(
        model_message(edit(
            "\"labels\":[\"toxic\",\"slur\"]",
            "\"labels\":[\"toxic\",\"toxic\"]"
        )),
        "bad label set: invalid parameter labels: label toxic appears twice"
    );
    assert_eq!(
        model_message(edit("\"thresholds\":[0.4,0.7]", "\"thresholds\":[0.4]")),
        "1 thresholds for 2 labels"
    );
    assert!(model_message(edit("\"i8\"", "\"i9\"")).starts_with("unknown quantization"));
    let e = Bundle::load("/nonexistent/model.cgm").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io(_)));
}

#[test]
fn stacking_uses_extra_features() {
    // A weak text logit plus a lexicon-like count that carries most of the signal.
    let mut rng = Rng(12);
    let n = 2000;
    let mut f = ndarray::Array2::<f64>::zeros((n, 2));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let pos = rng.below(4) == 0;
        f[[i, 0]] = rng.unit() * 2.0 - 1.0 + if pos { 0.3 } else { 0.0 };
        f[[i, 1]] = (rng.below(2) + if pos { 2 } else { 0 }) as f64;
        y.push(pos);
    }
    let cal = Calibrator::fit(&f, &y, 1.0).unwrap();
    assert_eq!(cal.n_features(), 2);
    assert!(cal.weights[0] > 0.0 && cal.weights[1] > 1.0, "{cal:?}");
    let p: Vec<f32> = (0..n)
        .map(|i| cal.probability(&[f[[i, 0]], f[[i, 1]]]) as f32)
        .collect();
    assert!(roc_auc(&p, &y).unwrap() > 0.95);
    // Shapes are checked.
    assert!(Calibrator::fit(&f, &y[1..], 1.0).is_err());
    assert!(Calibrator::fit(&f, &vec![true; n], 1.0).is_err());
}

/// Noisy dev scores: positives around 0.6, negatives around 0.3, both spread by `Rng`.
fn noisy_dev(rng: &mut Rng, pos: usize, neg: usize) -> (Vec<f32>, Vec<bool>) {
    let mut s = Vec::new();
    let mut t = Vec::new();
    for k in 0..pos + neg {
        let positive = k < pos;
        let (u, v) = (rng.unit() as f32, rng.unit() as f32);
        s.push(if positive {
            0.35 + 0.5 * u
        } else {
            0.6 * u * v.sqrt()
        });
        t.push(positive);
    }
    (s, t)
}

/// Thresholds: the bagged estimate is the plain one with 0 rounds, is the same for the same
/// seed, needs both classes, and over many small dev sets drawn alike it moves less than the
/// single best-F1 cut while staying near it on average.
#[test]
fn bagged_threshold_is_steadier_than_one_maximum() {
    use commentguard::train::{bagged_threshold, prevalence_threshold};
    let mut rng = Rng(7);
    let (s, t) = noisy_dev(&mut rng, 60, 900);
    assert_eq!(
        bagged_threshold(&s, &t, 0.05, 0, 1),
        prevalence_threshold(&s, &t, 0.05)
    );
    assert_eq!(
        bagged_threshold(&s, &t, 0.05, 51, 9),
        bagged_threshold(&s, &t, 0.05, 51, 9)
    );
    assert_eq!(bagged_threshold(&s, &[false; 960], 0.05, 51, 9), None);
    let (mut one, mut bagged) = (Vec::new(), Vec::new());
    for draw in 0..40 {
        let (s, t) = noisy_dev(&mut rng, 60, 900);
        one.push(f64::from(prevalence_threshold(&s, &t, 0.05).unwrap()));
        bagged.push(f64::from(bagged_threshold(&s, &t, 0.05, 51, draw).unwrap()));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let sd = |v: &[f64]| {
        let m = mean(v);
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
    };
    eprintln!(
        "one maximum: mean {:.3} sd {:.4}; bagged: mean {:.3} sd {:.4}",
        mean(&one),
        sd(&one),
        mean(&bagged),
        sd(&bagged)
    );
    assert!(
        sd(&bagged) < sd(&one) * 0.9,
        "{} vs {}",
        sd(&bagged),
        sd(&one)
    );
    assert!(sd(&bagged) > 0.0);
    assert!((mean(&bagged) - mean(&one)).abs() < 0.05);
}

/// The shipped model was trained by this build's features: the same feature rules and the
/// same lexicon lists (edit either and this fails until `models/default.cgm` is retrained
/// with the command in its model card).
#[test]
fn shipped_model_was_trained_on_this_builds_features() {
    let m = commentguard::Moderator::default_model().unwrap();
    assert!(
        m.drift().is_empty(),
        "retrain models/default.cgm: {:?}",
        m.drift()
    );
}
