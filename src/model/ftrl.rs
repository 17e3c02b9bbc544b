//! FTRL-proximal (McMahan et al., 2013): per-coordinate adaptive online logistic regression
//! with L1 and L2, for fast multi-pass training and incremental updates from moderator decisions.

use super::logistic::{prepare_weights, sigmoid, SparseLogistic, SparseSolver};
use super::sparse::SparseMatrix;
use crate::{Error, Result};
use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::traits::{Fit, FitWith};
use linfa::ParamGuard;

/// Checked FTRL parameters (see [`FtrlParams`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FtrlValidParams {
    alpha: f64,
    beta: f64,
    l1: f64,
    l2: f64,
    passes: usize,
    seed: u64,
    balanced: bool,
    prior_count: f64,
}

/// Parameters of FTRL-proximal logistic regression, checked once when fitting.
///
/// Fitting with a previous model ([`FitWith`] with `Some(&model)`) continues from its weights:
/// the per-coordinate state is rebuilt so that the starting weights are exactly the previous
/// ones, with every coordinate's squared-gradient sum set to [`prior_count`](Self::prior_count).
/// This works for models from either solver, so a shipped L-BFGS model can be nudged by a
/// site's own moderation decisions.
#[derive(Debug, Clone, PartialEq)]
pub struct FtrlParams(FtrlValidParams);

impl Default for FtrlParams {
    fn default() -> Self {
        FtrlParams::new()
    }
}

impl FtrlParams {
    /// The default parameters.
    pub fn new() -> FtrlParams {
        FtrlParams(FtrlValidParams {
            alpha: 0.1,
            beta: 1.0,
            l1: 0.0,
            l2: 1.0,
            passes: 3,
            seed: 42,
            balanced: false,
            prior_count: 1.0,
        })
    }
    /// Learning-rate scale α, finite and > 0. Default 0.1.
    pub fn alpha(mut self, v: f64) -> Self {
        self.0.alpha = v;
        self
    }
    /// Learning-rate smoothing β, finite and ≥ 0. Default 1.0.
    pub fn beta(mut self, v: f64) -> Self {
        self.0.beta = v;
        self
    }
    /// L1 strength (sparsity), finite and ≥ 0. Default 0.0.
    pub fn l1(mut self, v: f64) -> Self {
        self.0.l1 = v;
        self
    }
    /// L2 strength, finite and ≥ 0. Default 1.0.
    pub fn l2(mut self, v: f64) -> Self {
        self.0.l2 = v;
        self
    }
    /// Passes over the data, ≥ 1. Default 3.
    pub fn passes(mut self, n: usize) -> Self {
        self.0.passes = n;
        self
    }
    /// Seed of the row order shuffled before each pass. Default 42.
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }
    /// Weight each class by `n / (2 · n_class)`. Default false.
    pub fn balanced(mut self, yes: bool) -> Self {
        self.0.balanced = yes;
        self
    }
    /// Squared-gradient sum assumed for every coordinate of a previous model when continuing
    /// from it, finite and ≥ 0: larger values mean smaller steps away from it. Default 1.0.
    pub fn prior_count(mut self, v: f64) -> Self {
        self.0.prior_count = v;
        self
    }
}

impl ParamGuard for FtrlParams {
    type Checked = FtrlValidParams;
    type Error = Error;
    fn check_ref(&self) -> Result<&FtrlValidParams> {
        let p = &self.0;
        if !(p.alpha.is_finite() && p.alpha > 0.0) {
            return Err(Error::param(
                "alpha",
                format!("must be finite and > 0, got {}", p.alpha),
            ));
        }
        for (name, v) in [
            ("beta", p.beta),
            ("l1", p.l1),
            ("l2", p.l2),
            ("prior_count", p.prior_count),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::param(
                    name,
                    format!("must be finite and >= 0, got {v}"),
                ));
            }
        }
        if p.passes < 1 {
            return Err(Error::param("passes", "must be at least 1"));
        }
        Ok(p)
    }
    fn check(self) -> Result<FtrlValidParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// SplitMix64: a small seeded generator for shuffling and resampling (no global state).
pub(crate) struct SplitMix(pub(crate) u64);
impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

impl FtrlValidParams {
    /// The weight of one coordinate from its state.
    #[inline]
    fn weight(&self, z: f64, n: f64, l1: f64, l2: f64) -> f64 {
        if z.abs() <= l1 {
            0.0
        } else {
            -(z - z.signum() * l1) / ((self.beta + n.sqrt()) / self.alpha + l2)
        }
    }
}

impl SparseSolver for FtrlValidParams {
    fn fit_rows(
        &self,
        x: &SparseMatrix,
        rows: &[usize],
        y: &[bool],
        weights: Option<&[f32]>,
        init: Option<&SparseLogistic>,
    ) -> Result<SparseLogistic> {
        let s = prepare_weights(x, rows, y, weights, self.balanced)?;
        let n_cols = x.ncols();
        // Coordinate n_cols is the intercept, without L1/L2.
        let mut z = vec![0.0f64; n_cols + 1];
        let mut nn = vec![0.0f64; n_cols + 1];
        if let Some(m) = init {
            let n0 = self.prior_count;
            let mut set = |k: usize, w: f64, l1: f64, l2: f64| {
                nn[k] = n0;
                if w != 0.0 {
                    z[k] = -w * ((self.beta + n0.sqrt()) / self.alpha + l2) - w.signum() * l1;
                }
            };
            for (k, w) in m.weights.iter().enumerate().take(n_cols) {
                set(k, f64::from(*w), self.l1, self.l2);
            }
            set(n_cols, f64::from(m.bias), 0.0, 0.0);
        }
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let mut rng = SplitMix(self.seed);
        let mut w_row: Vec<f64> = Vec::new();
        for _ in 0..self.passes {
            rng.shuffle(&mut order);
            for &k in &order {
                let r = rows[k];
                let Some(row) = x.row(r) else { continue };
                w_row.clear();
                let mut zsum = self.weight(z[n_cols], nn[n_cols], 0.0, 0.0);
                let bias_w = zsum;
                for (i, v) in row.iter() {
                    let i = i as usize;
                    let w = self.weight(z[i], nn[i], self.l1, self.l2);
                    w_row.push(w);
                    zsum += w * f64::from(v);
                }
                let p = sigmoid(zsum);
                let g = (p - if y[r] { 1.0 } else { 0.0 }) * s[k];
                if g == 0.0 {
                    continue;
                }
                let mut update = |i: usize, gi: f64, wi: f64| {
                    let sigma = ((nn[i] + gi * gi).sqrt() - nn[i].sqrt()) / self.alpha;
                    z[i] += gi - sigma * wi;
                    nn[i] += gi * gi;
                };
                for ((i, v), wi) in row.iter().zip(&w_row) {
                    update(i as usize, g * f64::from(v), *wi);
                }
                update(n_cols, g, bias_w);
            }
        }
        let weights: Vec<f32> = (0..n_cols)
            .map(|i| self.weight(z[i], nn[i], self.l1, self.l2) as f32)
            .collect();
        let bias = self.weight(z[n_cols], nn[n_cols], 0.0, 0.0) as f32;
        if !bias.is_finite() || weights.iter().any(|w| !w.is_finite()) {
            return Err(Error::model("FTRL diverged (non-finite weights)"));
        }
        Ok(SparseLogistic { weights, bias })
    }
}

impl<T: AsSingleTargets<Elem = bool>> Fit<SparseMatrix, T, Error> for FtrlValidParams {
    type Object = SparseLogistic;
    /// Fits from zero on every row, using the dataset's weights when it has them.
    fn fit(&self, dataset: &DatasetBase<SparseMatrix, T>) -> Result<SparseLogistic> {
        self.fit_with(None, dataset)
    }
}

impl<'a, T: AsSingleTargets<Elem = bool>> FitWith<'a, SparseMatrix, T, Error> for FtrlValidParams {
    type ObjectIn = Option<&'a SparseLogistic>;
    type ObjectOut = SparseLogistic;
    /// Continues from `model` (or starts from zero) on every row of the dataset.
    fn fit_with(
        &self,
        model: Option<&'a SparseLogistic>,
        dataset: &'a DatasetBase<SparseMatrix, T>,
    ) -> Result<SparseLogistic> {
        let x = dataset.records();
        let y = dataset.targets().as_single_targets().to_vec();
        let rows: Vec<usize> = (0..x.nrows()).collect();
        self.fit_rows(x, &rows, &y, dataset.weights(), model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::DatasetBase;

    #[test]
    fn warm_start_reproduces_previous_weights() {
        let mut x = SparseMatrix::new(3);
        x.push_row([(0, 1.0)]).unwrap();
        let prev = SparseLogistic {
            weights: vec![0.5, -1.25, 0.0],
            bias: 0.3,
        };
        // A row with zero sample weight leaves the model as it was.
        let ds = DatasetBase::new(x, ndarray::Array1::from_elem(1, true))
            .with_weights(ndarray::Array1::from_elem(1, 0.0f32));
        let err = FtrlParams::new().l1(0.1).fit_with(Some(&prev), &ds);
        assert!(err.is_err(), "all-zero weights are rejected");
        let mut x = SparseMatrix::new(3);
        x.push_row([(2, 1.0)]).unwrap();
        x.push_row([(2, 1.0)]).unwrap();
        let ds = DatasetBase::new(x, ndarray::Array1::from_vec(vec![true, false]))
            .with_weights(ndarray::Array1::from_vec(vec![1.0f32, 0.0]));
        let m = FtrlParams::new()
            .passes(1)
            .fit_with(Some(&prev), &ds)
            .unwrap();
        assert!((m.weights[0] - 0.5).abs() < 1e-6);
        assert!((m.weights[1] + 1.25).abs() < 1e-6);
        assert!(m.weights[2] > 0.0);
    }

    #[test]
    fn params_are_checked() {
        let name = |p: FtrlParams| match p.check().map(|_| ()).unwrap_err().kind() {
            crate::ErrorKind::InvalidParameter { name, .. } => *name,
            _ => "other",
        };
        assert_eq!(name(FtrlParams::new().alpha(0.0)), "alpha");
        assert_eq!(name(FtrlParams::new().beta(-1.0)), "beta");
        assert_eq!(name(FtrlParams::new().l1(f64::INFINITY)), "l1");
        assert_eq!(name(FtrlParams::new().passes(0)), "passes");
    }
}
