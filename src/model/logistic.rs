//! Sparse L2-regularised logistic regression fitted with argmin's L-BFGS over a CSR matrix.
//!
//! The objective is scikit-learn's (`LogisticRegression(C=c, solver="lbfgs")`, with
//! sample weights `s_i` normalised by their sum `S`):
//!
//! `f(w, b) = (1/S) Σ s_i log(1 + exp(-y_i (w·x_i + b))) + ||w||² / (2 C S)`
//!
//! with the intercept `b` unpenalised, accumulated in `f64`, and the row loop split into chunks
//! run with rayon. Cost and gradient are computed in one pass and cached, because the line search
//! asks for both at the same point.

use super::sparse::{SparseMatrix, SparseRow};
use crate::{Error, Result};
use argmin::core::{CostFunction, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::traits::{Fit, Predict, PredictInplace};
use linfa::ParamGuard;
use ndarray::Array1;
use rayon::prelude::*;
use std::sync::Mutex;

/// A fitted binary linear classifier over a sparse hash space: `P(y) = σ(w·x + bias)`.
///
/// Both solvers ([`SparseLogisticParams`], [`FtrlParams`](super::FtrlParams)) produce it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SparseLogistic {
    /// One weight per column of the training matrix.
    pub weights: Vec<f32>,
    /// The intercept.
    pub bias: f32,
}

impl SparseLogistic {
    /// A model with all-zero weights over `n_cols` columns.
    pub fn zeros(n_cols: usize) -> SparseLogistic {
        SparseLogistic {
            weights: vec![0.0; n_cols],
            bias: 0.0,
        }
    }
    /// The logit `w·x + bias` (columns past the weights count as zero).
    pub fn decision(&self, row: &SparseRow<'_>) -> f32 {
        (row.dot(&self.weights) + f64::from(self.bias)) as f32
    }
    /// The probability of the positive class, `σ(decision)`.
    pub fn predict_proba(&self, row: &SparseRow<'_>) -> f32 {
        sigmoid(f64::from(self.decision(row))) as f32
    }
    /// The probability for every row of `x`.
    pub fn predict_proba_matrix(&self, x: &SparseMatrix) -> Vec<f32> {
        x.rows().map(|r| self.predict_proba(&r)).collect()
    }
    /// Per-feature contributions `(index, weight × value)` of one row, largest absolute first;
    /// zero contributions are left out. Their sum plus `bias` is the decision.
    pub fn contributions(&self, row: &SparseRow<'_>) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = row
            .iter()
            .filter_map(|(i, v)| {
                let c = self.weights.get(i as usize).copied().unwrap_or(0.0) * v;
                (c != 0.0).then_some((i, c))
            })
            .collect();
        out.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        out
    }
    /// Number of non-zero weights.
    pub fn nnz(&self) -> usize {
        self.weights.iter().filter(|w| **w != 0.0).count()
    }
}

impl PredictInplace<SparseMatrix, Array1<bool>> for SparseLogistic {
    /// Predicts `true` where the probability is at least 0.5 (writes `min(rows, y.len())` entries).
    fn predict_inplace(&self, x: &SparseMatrix, y: &mut Array1<bool>) {
        for (out, row) in y.iter_mut().zip(x.rows()) {
            *out = self.decision(&row) >= 0.0;
        }
    }
    fn default_target(&self, x: &SparseMatrix) -> Array1<bool> {
        Array1::from_elem(x.nrows(), false)
    }
}

impl PredictInplace<SparseMatrix, Array1<f32>> for SparseLogistic {
    /// Writes the positive-class probability of each row.
    fn predict_inplace(&self, x: &SparseMatrix, y: &mut Array1<f32>) {
        for (out, row) in y.iter_mut().zip(x.rows()) {
            *out = self.predict_proba(&row);
        }
    }
    fn default_target(&self, x: &SparseMatrix) -> Array1<f32> {
        Array1::zeros(x.nrows())
    }
}

impl<T> Predict<&SparseMatrix, T> for SparseLogistic
where
    SparseLogistic: PredictInplace<SparseMatrix, T>,
{
    /// Predicts directly from a matrix: `Array1<bool>` (probability ≥ 0.5) or `Array1<f32>`
    /// (probabilities).
    fn predict(&self, x: &SparseMatrix) -> T {
        let mut y = self.default_target(x);
        self.predict_inplace(x, &mut y);
        y
    }
}

/// The logistic function, stable for large |z|.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `log(1 + exp(-m))`, stable for large |m|.
pub(crate) fn log_loss_margin(m: f64) -> f64 {
    if m > 0.0 {
        (-m).exp().ln_1p()
    } else {
        -m + m.exp().ln_1p()
    }
}

/// A solver that fits one binary label on a subset of a matrix's rows. Implemented by both
/// validated parameter types so multi-label training can use either.
pub trait SparseSolver: Sync {
    /// Fits on the rows listed in `rows` (indices into `x`), with `y` and `weights` indexed by
    /// row of `x` (not by position in `rows`), starting from `init` when given.
    fn fit_rows(
        &self,
        x: &SparseMatrix,
        rows: &[usize],
        y: &[bool],
        weights: Option<&[f32]>,
        init: Option<&SparseLogistic>,
    ) -> Result<SparseLogistic>;
}

/// Checked parameters of the L-BFGS logistic regression (see [`SparseLogisticParams`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SparseLogisticValidParams {
    c: f64,
    max_iter: u64,
    tolerance: f64,
    memory: usize,
    fit_intercept: bool,
    balanced: bool,
}

/// Parameters of the sparse L2 logistic regression, checked once when fitting (linfa's
/// `ParamGuard` pattern): an invalid value returns `ErrorKind::InvalidParameter` before any work.
///
/// ```
/// use commentguard::model::{SparseLogisticParams, SparseMatrix};
/// use linfa::prelude::*;
/// let mut x = SparseMatrix::new(2);
/// for i in 0..20 {
///     x.push_row([(i % 2, 1.0)])?;
/// }
/// let y = ndarray::Array1::from_iter((0..20).map(|i| i % 2 == 1));
/// let model = SparseLogisticParams::new().c(10.0).fit(&DatasetBase::new(x.clone(), y))?;
/// assert!(model.predict_proba(&x.row(1).unwrap()) > 0.9);
/// assert!(SparseLogisticParams::new().c(0.0).fit(&DatasetBase::new(x, ndarray::Array1::from_elem(20, true))).is_err());
/// # Ok::<(), commentguard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SparseLogisticParams(SparseLogisticValidParams);

impl Default for SparseLogisticParams {
    fn default() -> Self {
        SparseLogisticParams::new()
    }
}

impl SparseLogisticParams {
    /// The default parameters.
    pub fn new() -> SparseLogisticParams {
        SparseLogisticParams(SparseLogisticValidParams {
            c: 1.0,
            max_iter: 50,
            tolerance: 1e-5,
            memory: 10,
            fit_intercept: true,
            balanced: false,
        })
    }
    /// Inverse regularisation strength, as scikit-learn's `C`; must be finite and > 0.
    /// Default 1.0.
    pub fn c(mut self, c: f64) -> Self {
        self.0.c = c;
        self
    }
    /// Regularisation strength `alpha = 1 / C` (an alternative to [`c`](Self::c)); must be
    /// finite and > 0. Default 1.0.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.0.c = 1.0 / alpha;
        self
    }
    /// Maximum L-BFGS iterations, ≥ 1. Default 50: all 7 labels on 70k rows × 300 non-zeros
    /// over 2^20 buckets then fit in ~32 s on 2 cores (100 iterations: ~68 s, slightly better
    /// held-out AUC; see benches/train.rs).
    pub fn max_iter(mut self, n: u64) -> Self {
        self.0.max_iter = n;
        self
    }
    /// Stop when the gradient's L2 norm falls below this; finite and ≥ 0. Default 1e-5.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.0.tolerance = tol;
        self
    }
    /// L-BFGS history length, ≥ 1. Default 10.
    pub fn memory(mut self, m: usize) -> Self {
        self.0.memory = m;
        self
    }
    /// Fit an (unpenalised) intercept. Default true.
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.0.fit_intercept = yes;
        self
    }
    /// Weight each class by `n / (2 · n_class)` (scikit-learn's `class_weight="balanced"`),
    /// multiplied into any sample weights. Default false.
    pub fn balanced(mut self, yes: bool) -> Self {
        self.0.balanced = yes;
        self
    }
}

impl ParamGuard for SparseLogisticParams {
    type Checked = SparseLogisticValidParams;
    type Error = Error;
    fn check_ref(&self) -> Result<&SparseLogisticValidParams> {
        let p = &self.0;
        if !(p.c.is_finite() && p.c > 0.0) {
            return Err(Error::param(
                "c",
                format!("must be finite and > 0, got {}", p.c),
            ));
        }
        if p.max_iter < 1 {
            return Err(Error::param("max_iter", "must be at least 1"));
        }
        if !(p.tolerance.is_finite() && p.tolerance >= 0.0) {
            return Err(Error::param(
                "tolerance",
                format!("must be finite and >= 0, got {}", p.tolerance),
            ));
        }
        if p.memory < 1 {
            return Err(Error::param("memory", "must be at least 1"));
        }
        Ok(p)
    }
    fn check(self) -> Result<SparseLogisticValidParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

impl<T: AsSingleTargets<Elem = bool>> Fit<SparseMatrix, T, Error> for SparseLogisticValidParams {
    type Object = SparseLogistic;
    /// Fits on every row; uses the dataset's weights when it has them.
    fn fit(&self, dataset: &DatasetBase<SparseMatrix, T>) -> Result<SparseLogistic> {
        let x = dataset.records();
        let y = dataset.targets().as_single_targets().to_vec();
        let rows: Vec<usize> = (0..x.nrows()).collect();
        self.fit_rows(x, &rows, &y, dataset.weights(), None)
    }
}

/// Checks shapes shared by both solvers and returns the per-row sample weights (class balance
/// applied) for the selected rows, in `rows` order.
pub(crate) fn prepare_weights(
    x: &SparseMatrix,
    rows: &[usize],
    y: &[bool],
    weights: Option<&[f32]>,
    balanced: bool,
) -> Result<Vec<f64>> {
    if y.len() != x.nrows() {
        return Err(Error::param(
            "targets",
            format!("{} targets for {} rows", y.len(), x.nrows()),
        ));
    }
    if let Some(w) = weights {
        if w.len() != x.nrows() {
            return Err(Error::param(
                "weights",
                format!("{} weights for {} rows", w.len(), x.nrows()),
            ));
        }
        if w.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(Error::param("weights", "must be finite and >= 0"));
        }
    }
    if let Some(&r) = rows.iter().find(|&&r| r >= x.nrows()) {
        return Err(Error::param("rows", format!("row {r} out of range")));
    }
    if rows.is_empty() {
        return Err(Error::param("rows", "no rows to fit"));
    }
    let n_pos = rows.iter().filter(|&&r| y[r]).count();
    let n = rows.len();
    let (wp, wn) = if balanced && n_pos > 0 && n_pos < n {
        (
            n as f64 / (2.0 * n_pos as f64),
            n as f64 / (2.0 * (n - n_pos) as f64),
        )
    } else {
        (1.0, 1.0)
    };
    let s: Vec<f64> = rows
        .iter()
        .map(|&r| {
            let base = weights.map_or(1.0, |w| f64::from(w[r]));
            base * if y[r] { wp } else { wn }
        })
        .collect();
    if s.iter().sum::<f64>() <= 0.0 {
        return Err(Error::param("weights", "all sample weights are zero"));
    }
    Ok(s)
}

/// The argmin problem: parameters are `[w_0 .. w_{n-1}, b]`.
struct Problem<'a> {
    /// The selected rows, with columns renumbered to the used ones.
    x: &'a SparseMatrix,
    /// +1 / -1 per selected row.
    y: Vec<f64>,
    /// Sample weights divided by their sum.
    s: Vec<f64>,
    /// `1 / (C S)`.
    l2: f64,
    fit_intercept: bool,
    cache: Mutex<Option<Evaluated>>,
}

/// A cached evaluation: parameters, cost, gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

impl Problem<'_> {
    fn eval(&self, p: &[f64]) -> (f64, Vec<f64>) {
        if let Ok(c) = self.cache.lock() {
            if let Some((cp, cost, grad)) = c.as_ref() {
                if cp.as_slice() == p {
                    return (*cost, grad.clone());
                }
            }
        }
        let n = self.x.ncols();
        let (w, b) = p.split_at(n);
        let b = if self.fit_intercept {
            b.first().copied().unwrap_or(0.0)
        } else {
            0.0
        };
        let threads = rayon::current_num_threads().max(1);
        let chunk = self.x.nrows().div_ceil(threads * 2).max(256);
        let idx: Vec<usize> = (0..self.x.nrows()).collect();
        let (mut loss, mut grad) = idx
            .par_chunks(chunk)
            .map(|part| {
                let mut g = vec![0.0f64; n + 1];
                let mut loss = 0.0f64;
                for &k in part {
                    let Some(row) = self.x.row(k) else {
                        continue;
                    };
                    let m = self.y[k] * (row.dot64(w) + b);
                    loss += self.s[k] * log_loss_margin(m);
                    // d/dz log(1+exp(-y z)) = -y σ(-y z)
                    let d = -self.y[k] * sigmoid(-m) * self.s[k];
                    for (i, v) in row.iter() {
                        g[i as usize] += d * f64::from(v);
                    }
                    g[n] += d;
                }
                (loss, g)
            })
            .reduce(
                || (0.0, vec![0.0f64; n + 1]),
                |(la, mut ga), (lb, gb)| {
                    for (a, b) in ga.iter_mut().zip(&gb) {
                        *a += *b;
                    }
                    (la + lb, ga)
                },
            );
        let mut reg = 0.0;
        for (g, wi) in grad.iter_mut().zip(w) {
            reg += wi * wi;
            *g += self.l2 * wi;
        }
        loss += 0.5 * self.l2 * reg;
        if !self.fit_intercept {
            grad[n] = 0.0;
        }
        if let Ok(mut c) = self.cache.lock() {
            *c = Some((p.to_vec(), loss, grad.clone()));
        }
        (loss, grad)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.eval(p).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> std::result::Result<Vec<f64>, argmin::core::Error> {
        Ok(self.eval(p).1)
    }
}

impl SparseSolver for SparseLogisticValidParams {
    fn fit_rows(
        &self,
        x: &SparseMatrix,
        rows: &[usize],
        y: &[bool],
        weights: Option<&[f32]>,
        init: Option<&SparseLogistic>,
    ) -> Result<SparseLogistic> {
        let s = prepare_weights(x, rows, y, weights, self.balanced)?;
        let total: f64 = s.iter().sum();
        // Solve over the columns these rows use only (renumbered by descending frequency, so
        // the hot weights share cache lines): unused columns have no data gradient and their
        // L2-optimal weight is exactly 0, so the solution is the same, and every vector the
        // solver touches is several times shorter.
        let (cx, used) = compact(x, rows);
        let n = cx.ncols();
        let problem = Problem {
            x: &cx,
            y: rows
                .iter()
                .map(|&r| if y[r] { 1.0 } else { -1.0 })
                .collect(),
            s: s.iter().map(|v| v / total).collect(),
            l2: 1.0 / (self.c * total),
            fit_intercept: self.fit_intercept,
            cache: Mutex::new(None),
        };
        let mut x0 = vec![0.0f64; n + 1];
        if let Some(m) = init {
            for (a, &col) in x0.iter_mut().zip(&used) {
                *a = f64::from(m.weights.get(col as usize).copied().unwrap_or(0.0));
            }
            if self.fit_intercept {
                x0[n] = f64::from(m.bias);
            }
        }
        let (cost0, grad0) = problem.eval(&x0);
        let g0 = grad0.iter().map(|g| g * g).sum::<f64>().sqrt();
        if g0 <= self.tolerance {
            return Ok(expand(&x0, &used, x.ncols()));
        }
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), self.memory)
            .with_tolerance_grad(self.tolerance)
            .and_then(|s| s.with_tolerance_cost(0.0))
            .map_err(|e| Error::param("tolerance", e.to_string()))?;
        let max_iter = self.max_iter;
        let res = Executor::new(problem, solver)
            .configure(|st| st.param(x0).max_iters(max_iter))
            .run()
            .map_err(|e| Error::model(format!("L-BFGS failed: {e}")))?;
        let best_cost = res.state().get_best_cost();
        let Some(best) = res.state.best_param.as_ref() else {
            return Err(Error::model("L-BFGS returned no parameters"));
        };
        if best.iter().any(|v| !v.is_finite()) || !best_cost.is_finite() {
            return Err(Error::model("L-BFGS diverged (non-finite weights)"));
        }
        if best_cost >= cost0 {
            return Err(Error::model(format!(
                "L-BFGS made no progress (cost {best_cost} from {cost0}, gradient norm {g0})"
            )));
        }
        Ok(expand(best, &used, x.ncols()))
    }
}

/// The selected rows with their columns renumbered `0..k` by descending frequency, and the
/// original column of each new one.
fn compact(x: &SparseMatrix, rows: &[usize]) -> (SparseMatrix, Vec<u32>) {
    let mut count = vec![0u32; x.ncols()];
    for &r in rows {
        if let Some(row) = x.row(r) {
            for &i in row.indices() {
                count[i as usize] += 1;
            }
        }
    }
    let mut used: Vec<u32> = (0..x.ncols() as u32)
        .filter(|&i| count[i as usize] > 0)
        .collect();
    used.sort_by(|&a, &b| count[b as usize].cmp(&count[a as usize]).then(a.cmp(&b)));
    let mut map = count; // reuse: old column -> new column
    for (new, &old) in used.iter().enumerate() {
        map[old as usize] = new as u32;
    }
    let mut cx = SparseMatrix::new(used.len());
    let mut pairs: Vec<(u32, f32)> = Vec::new();
    for &r in rows {
        pairs.clear();
        if let Some(row) = x.row(r) {
            pairs.extend(row.iter().map(|(i, v)| (map[i as usize], v)));
        }
        // Indices are valid and values finite, so this cannot fail.
        let _ = cx.push_row(pairs.iter().copied());
    }
    (cx, used)
}

/// Solver parameters over compacted columns back to a model over all `n_cols` columns.
fn expand(p: &[f64], used: &[u32], n_cols: usize) -> SparseLogistic {
    let mut weights = vec![0.0f32; n_cols];
    for (w, &col) in p.iter().zip(used) {
        if let Some(o) = weights.get_mut(col as usize) {
            *o = *w as f32;
        }
    }
    SparseLogistic {
        weights,
        bias: p.get(used.len()).copied().unwrap_or(0.0) as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let mut x = SparseMatrix::new(3);
        x.push_row([(0, 1.0), (2, 0.5)]).unwrap();
        x.push_row([(1, 2.0)]).unwrap();
        x.push_row([(0, -1.0), (1, 0.3)]).unwrap();
        let p = Problem {
            x: &x,
            y: vec![1.0, -1.0, 1.0],
            s: vec![0.5, 0.25, 0.25],
            l2: 0.3,
            fit_intercept: true,
            cache: Mutex::new(None),
        };
        let theta = vec![0.2, -0.4, 0.7, 0.1];
        let (_, g) = p.eval(&theta);
        for k in 0..4 {
            let mut a = theta.clone();
            let mut b = theta.clone();
            a[k] += 1e-6;
            b[k] -= 1e-6;
            let fd = (p.eval(&a).0 - p.eval(&b).0) / 2e-6;
            assert!((fd - g[k]).abs() < 1e-7, "{k}: {fd} vs {}", g[k]);
        }
    }

    #[test]
    fn params_are_checked() {
        let bad = |p: SparseLogisticParams| match p.check().map(|_| ()).unwrap_err().kind() {
            crate::ErrorKind::InvalidParameter { name, .. } => *name,
            _ => "other",
        };
        assert_eq!(bad(SparseLogisticParams::new().c(-1.0)), "c");
        assert_eq!(bad(SparseLogisticParams::new().alpha(0.0)), "c");
        assert_eq!(bad(SparseLogisticParams::new().max_iter(0)), "max_iter");
        assert_eq!(
            bad(SparseLogisticParams::new().tolerance(f64::NAN)),
            "tolerance"
        );
        assert_eq!(bad(SparseLogisticParams::new().memory(0)), "memory");
    }
}
