//! Several binary labels fitted over the same sparse matrix, in parallel, each on the rows whose
//! data set carries that label.

use super::logistic::{SparseLogistic, SparseSolver};
use super::sparse::SparseMatrix;
use crate::{Error, Result};
use rayon::prelude::*;

/// Fits one model per label column over the same matrix `x`, in parallel over labels.
///
/// `targets[l][r]` is row `r`'s value for label `l`: `Some(true)`/`Some(false)`, or `None`
/// when the row's data set does not annotate that label — such rows are left out of that
/// label's fit altogether (not counted as negatives). `weights` are optional per-row sample
/// weights shared by all labels; `init` optionally gives a previous model per label (used by
/// FTRL to continue, by L-BFGS as the starting point).
///
/// Fails when a column's length differs from `x.nrows()`, or a label has no annotated row.
pub fn fit_labels<S: SparseSolver>(
    solver: &S,
    x: &SparseMatrix,
    targets: &[Vec<Option<bool>>],
    weights: Option<&[f32]>,
    init: Option<&[SparseLogistic]>,
) -> Result<Vec<SparseLogistic>> {
    for (l, col) in targets.iter().enumerate() {
        if col.len() != x.nrows() {
            return Err(Error::param(
                "targets",
                format!("label {l}: {} values for {} rows", col.len(), x.nrows()),
            ));
        }
    }
    if let Some(init) = init {
        if init.len() != targets.len() {
            return Err(Error::param(
                "init",
                format!("{} models for {} labels", init.len(), targets.len()),
            ));
        }
    }
    targets
        .par_iter()
        .enumerate()
        .map(|(l, col)| {
            let rows: Vec<usize> = col
                .iter()
                .enumerate()
                .filter_map(|(r, v)| v.map(|_| r))
                .collect();
            if rows.is_empty() {
                return Err(Error::param(
                    "targets",
                    format!("label {l} has no annotated rows"),
                ));
            }
            let y: Vec<bool> = col.iter().map(|v| v.unwrap_or(false)).collect();
            let prev = init.and_then(|i| i.get(l));
            solver.fit_rows(x, &rows, &y, weights, prev)
        })
        .collect()
}

/// Fits one label on the rows where `mask` is true (all rows when `mask` is `None`).
pub fn fit_masked<S: SparseSolver>(
    solver: &S,
    x: &SparseMatrix,
    y: &[bool],
    mask: Option<&[bool]>,
    weights: Option<&[f32]>,
) -> Result<SparseLogistic> {
    let rows: Vec<usize> = match mask {
        Some(m) => {
            if m.len() != x.nrows() {
                return Err(Error::param(
                    "mask",
                    format!("{} mask entries for {} rows", m.len(), x.nrows()),
                ));
            }
            m.iter()
                .enumerate()
                .filter_map(|(r, &keep)| keep.then_some(r))
                .collect()
        }
        None => (0..x.nrows()).collect(),
    };
    solver.fit_rows(x, &rows, y, weights, None)
}
