//! Calibration and stacking: a small dense logistic regression (linfa-logistic) from a handful of
//! scores — the text model's logit, lexicon hit counts, thread-context scores — to a probability,
//! fitted on out-of-fold scores so it never sees a text model's own training rows.

use super::logistic::{sigmoid, SparseLogistic, SparseSolver};
use super::sparse::SparseMatrix;
use crate::{Error, Result};
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

/// Maps a small dense feature vector to a calibrated probability: `σ(w·f + b)`.
///
/// Fitted with linfa-logistic. linfa-logistic's "positive" class is the more frequent label
/// whatever its docs say, so the fitted parameters are mapped through `labels().pos.class` and
/// stored here always for the `true` class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibrator {
    /// One weight per input feature.
    pub weights: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
}

impl Calibrator {
    /// The identity calibrator over one feature (a logit): `σ(logit)`.
    pub fn identity() -> Calibrator {
        Calibrator {
            weights: vec![1.0],
            intercept: 0.0,
        }
    }

    /// Fits on `features` (rows × a few columns, finite) against `truth`, with L2 strength
    /// `alpha` (linfa-logistic's; applied to the summed loss, intercept unpenalised).
    /// Fails when a class is missing, shapes differ or values are not finite.
    pub fn fit(features: &Array2<f64>, truth: &[bool], alpha: f64) -> Result<Calibrator> {
        if features.nrows() != truth.len() {
            return Err(Error::param(
                "truth",
                format!("{} rows but {} labels", features.nrows(), truth.len()),
            ));
        }
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(Error::param(
                "alpha",
                format!("must be finite and >= 0, got {alpha}"),
            ));
        }
        let ds = DatasetBase::new(features.clone(), Array1::from_vec(truth.to_vec()));
        let fitted = LogisticRegression::default()
            .alpha(alpha)
            .max_iterations(200)
            .fit(&ds)
            .map_err(|e| Error::model(format!("calibration fit failed: {e}")))?;
        let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
        let weights: Vec<f64> = fitted.params().iter().map(|w| sign * w).collect();
        let intercept = sign * fitted.intercept();
        if !intercept.is_finite() || weights.iter().any(|w| !w.is_finite()) {
            return Err(Error::model("calibration fit returned non-finite weights"));
        }
        Ok(Calibrator { weights, intercept })
    }

    /// Fits the classic Platt scaling: one feature, the text model's logit.
    pub fn fit_platt(logits: &[f32], truth: &[bool]) -> Result<Calibrator> {
        let f = Array2::from_shape_fn((logits.len(), 1), |(i, _)| f64::from(logits[i]));
        Calibrator::fit(&f, truth, 1e-3)
    }

    /// Number of input features.
    pub fn n_features(&self) -> usize {
        self.weights.len()
    }

    /// The calibrated probability. Missing trailing features count as 0, extra ones are ignored.
    pub fn probability(&self, features: &[f64]) -> f64 {
        let z: f64 = self
            .weights
            .iter()
            .zip(features)
            .map(|(w, f)| w * f)
            .sum::<f64>()
            + self.intercept;
        sigmoid(z)
    }
}

/// A seeded k-fold split of `n` rows: each row is in exactly one test fold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KFold {
    folds: Vec<Vec<usize>>,
}

impl KFold {
    /// Splits `0..n` into `k` folds of near-equal size after a seeded shuffle. `k` must be
    /// between 2 and `n`.
    pub fn new(n: usize, k: usize, seed: u64) -> Result<KFold> {
        if k < 2 || k > n {
            return Err(Error::param(
                "folds",
                format!("need 2 <= k <= rows, got k = {k} for {n} rows"),
            ));
        }
        let mut idx: Vec<usize> = (0..n).collect();
        let mut state = seed;
        for i in (1..n).rev() {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let j = (splitmix(state) % (i as u64 + 1)) as usize;
            idx.swap(i, j);
        }
        let mut folds = vec![Vec::new(); k];
        for (p, r) in idx.into_iter().enumerate() {
            folds[p % k].push(r);
        }
        for f in &mut folds {
            f.sort_unstable();
        }
        Ok(KFold { folds })
    }
    /// Number of folds.
    pub fn len(&self) -> usize {
        self.folds.len()
    }
    /// Always false: there are at least two folds.
    pub fn is_empty(&self) -> bool {
        self.folds.is_empty()
    }
    /// The test rows of fold `i` (sorted), empty past the end.
    pub fn test(&self, i: usize) -> &[usize] {
        self.folds.get(i).map_or(&[], |v| v.as_slice())
    }
    /// The training rows of fold `i` (every row not in its test fold, sorted).
    pub fn train(&self, i: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .folds
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, f)| f.iter().copied())
            .collect();
        v.sort_unstable();
        v
    }
}

/// SplitMix64 output for state `z` (the caller advances the state by the golden gamma).
fn splitmix(z: u64) -> u64 {
    let mut x = z;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Generic out-of-fold scoring: for each fold, `fit_score(train_rows, test_rows)` returns one
/// score per test row; the result holds every row's score from the fold that did not train on
/// it. Fails when a fold returns the wrong number of scores.
pub fn out_of_fold_with<F>(folds: &KFold, n: usize, mut fit_score: F) -> Result<Vec<f32>>
where
    F: FnMut(&[usize], &[usize]) -> Result<Vec<f32>>,
{
    let mut out = vec![f32::NAN; n];
    for i in 0..folds.len() {
        let test = folds.test(i);
        let train = folds.train(i);
        let scores = fit_score(&train, test)?;
        if scores.len() != test.len() {
            return Err(Error::model(format!(
                "fold {i}: {} scores for {} rows",
                scores.len(),
                test.len()
            )));
        }
        for (&r, s) in test.iter().zip(scores) {
            if let Some(o) = out.get_mut(r) {
                *o = s;
            }
        }
    }
    Ok(out)
}

/// Out-of-fold logits of a sparse solver on one label: `k` seeded folds over the rows where
/// `mask` is true (all rows when `None`); rows outside the mask get NaN.
pub fn out_of_fold<S: SparseSolver>(
    solver: &S,
    x: &SparseMatrix,
    y: &[bool],
    mask: Option<&[bool]>,
    weights: Option<&[f32]>,
    k: usize,
    seed: u64,
) -> Result<Vec<f32>> {
    let rows: Vec<usize> = match mask {
        Some(m) if m.len() == x.nrows() => (0..x.nrows()).filter(|&r| m[r]).collect(),
        Some(m) => {
            return Err(Error::param(
                "mask",
                format!("{} mask entries for {} rows", m.len(), x.nrows()),
            ))
        }
        None => (0..x.nrows()).collect(),
    };
    let folds = KFold::new(rows.len(), k, seed)?;
    let sub = out_of_fold_with(&folds, rows.len(), |train, test| {
        let train_rows: Vec<usize> = train.iter().map(|&p| rows[p]).collect();
        let model: SparseLogistic = solver.fit_rows(x, &train_rows, y, weights, None)?;
        Ok(test
            .iter()
            .map(|&p| x.row(rows[p]).map_or(f32::NAN, |r| model.decision(&r)))
            .collect())
    })?;
    let mut out = vec![f32::NAN; x.nrows()];
    for (p, s) in sub.into_iter().enumerate() {
        out[rows[p]] = s;
    }
    Ok(out)
}
