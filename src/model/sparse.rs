//! A compressed-sparse-row matrix of hashed features, usable as linfa `Records`.

use crate::{Error, Result};

/// A CSR matrix: row `i` holds `indices[indptr[i]..indptr[i + 1]]` with the matching `values`.
///
/// Within a row, indices are strictly increasing (the [`RowBuilder`] sorts them and adds up
/// duplicates, which hashed features produce when two n-grams share a bucket), and every index is
/// below [`ncols`](SparseMatrix::ncols). Values are `f32`; the solvers accumulate in `f64`.
///
/// ```
/// use commentguard::model::SparseMatrix;
/// let mut x = SparseMatrix::new(8);
/// let mut row = x.row_builder();
/// row.push(5, 1.0);
/// row.push(2, 0.5);
/// row.push(5, 1.0);
/// row.finish()?;
/// let r = x.row(0).unwrap();
/// assert_eq!(r.indices(), &[2, 5]);
/// assert_eq!(r.values(), &[0.5, 2.0]);
/// # Ok::<(), commentguard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SparseMatrix {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
    n_cols: usize,
}

/// One row of a [`SparseMatrix`] (or any sorted sparse vector): parallel index and value slices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparseRow<'a> {
    indices: &'a [u32],
    values: &'a [f32],
}

impl<'a> SparseRow<'a> {
    /// A row from parallel slices. Fails when their lengths differ.
    pub fn new(indices: &'a [u32], values: &'a [f32]) -> Result<SparseRow<'a>> {
        if indices.len() != values.len() {
            return Err(Error::param(
                "row",
                format!("{} indices but {} values", indices.len(), values.len()),
            ));
        }
        Ok(SparseRow { indices, values })
    }
    /// The column indices.
    pub fn indices(&self) -> &'a [u32] {
        self.indices
    }
    /// The values, one per index.
    pub fn values(&self) -> &'a [f32] {
        self.values
    }
    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }
    /// `(index, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f32)> + 'a {
        self.indices
            .iter()
            .copied()
            .zip(self.values.iter().copied())
    }
    /// Dot product with a dense weight vector, accumulated in `f64`; indices past the end of
    /// `w` count as zero weight.
    pub fn dot(&self, w: &[f32]) -> f64 {
        let mut s = 0.0f64;
        for (i, v) in self.iter() {
            if let Some(wi) = w.get(i as usize) {
                s += f64::from(*wi) * f64::from(v);
            }
        }
        s
    }
    /// Dot product with a dense `f64` vector (indices past its end count as zero).
    pub fn dot64(&self, w: &[f64]) -> f64 {
        let mut s = 0.0f64;
        for (i, v) in self.iter() {
            if let Some(wi) = w.get(i as usize) {
                s += *wi * f64::from(v);
            }
        }
        s
    }
}

impl SparseMatrix {
    /// An empty matrix (no rows) with `n_cols` columns.
    pub fn new(n_cols: usize) -> SparseMatrix {
        SparseMatrix {
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
            n_cols,
        }
    }

    /// A matrix from raw CSR arrays, checked: `indptr` starts at 0, never decreases and ends at
    /// `indices.len()`; `indices` and `values` have the same length; indices are strictly
    /// increasing within each row and below `n_cols`; values are finite.
    pub fn from_csr(
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f32>,
        n_cols: usize,
    ) -> Result<SparseMatrix> {
        let bad = |m: String| Err(Error::param("csr", m));
        if indptr.first() != Some(&0) {
            return bad("indptr must start with 0".into());
        }
        if indices.len() != values.len() {
            return bad(format!(
                "{} indices but {} values",
                indices.len(),
                values.len()
            ));
        }
        if indptr.last() != Some(&indices.len()) {
            return bad("indptr must end at the number of stored entries".into());
        }
        for (r, w) in indptr.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            if b < a {
                return bad(format!("indptr decreases at row {r}"));
            }
            let mut prev: Option<u32> = None;
            for &i in &indices[a..b] {
                if i as usize >= n_cols {
                    return bad(format!(
                        "row {r}: column {i} out of range (n_cols {n_cols})"
                    ));
                }
                if prev.is_some_and(|p| p >= i) {
                    return bad(format!("row {r}: indices not strictly increasing"));
                }
                prev = Some(i);
            }
        }
        if values.iter().any(|v| !v.is_finite()) {
            return bad("values must be finite".into());
        }
        Ok(SparseMatrix {
            indptr,
            indices,
            values,
            n_cols,
        })
    }

    /// Starts a new row; call [`RowBuilder::finish`] to append it.
    pub fn row_builder(&mut self) -> RowBuilder<'_> {
        RowBuilder {
            matrix: self,
            pairs: Vec::new(),
        }
    }

    /// Appends a row given as `(index, value)` pairs in any order (duplicates are summed).
    pub fn push_row(&mut self, pairs: impl IntoIterator<Item = (u32, f32)>) -> Result<usize> {
        let mut b = self.row_builder();
        for (i, v) in pairs {
            b.push(i, v);
        }
        b.finish()
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }
    /// Number of columns (the hash space size).
    pub fn ncols(&self) -> usize {
        self.n_cols
    }
    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }
    /// Row `i`, or `None` past the end.
    pub fn row(&self, i: usize) -> Option<SparseRow<'_>> {
        let a = *self.indptr.get(i)?;
        let b = *self.indptr.get(i + 1)?;
        Some(SparseRow {
            indices: self.indices.get(a..b)?,
            values: self.values.get(a..b)?,
        })
    }
    /// Every row in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = SparseRow<'_>> + '_ {
        self.indptr.windows(2).map(move |w| SparseRow {
            indices: &self.indices[w[0]..w[1]],
            values: &self.values[w[0]..w[1]],
        })
    }
    /// A new matrix holding the given rows, in the given order (indices past the end are skipped).
    pub fn select_rows(&self, rows: &[usize]) -> SparseMatrix {
        let mut out = SparseMatrix::new(self.n_cols);
        for &r in rows {
            if let Some(row) = self.row(r) {
                out.indices.extend_from_slice(row.indices);
                out.values.extend_from_slice(row.values);
                out.indptr.push(out.indices.len());
            }
        }
        out
    }
    /// The raw CSR arrays `(indptr, indices, values)`.
    pub fn as_csr(&self) -> (&[usize], &[u32], &[f32]) {
        (&self.indptr, &self.indices, &self.values)
    }
}

impl linfa::dataset::Records for SparseMatrix {
    type Elem = f32;
    fn nsamples(&self) -> usize {
        self.nrows()
    }
    fn nfeatures(&self) -> usize {
        self.n_cols
    }
}

/// Collects one row's entries; [`finish`](RowBuilder::finish) sorts them, sums duplicates, drops
/// zeros and appends the row. Dropping the builder without finishing appends nothing.
pub struct RowBuilder<'a> {
    matrix: &'a mut SparseMatrix,
    pairs: Vec<(u32, f32)>,
}

impl RowBuilder<'_> {
    /// Adds `value` at column `index`.
    pub fn push(&mut self, index: u32, value: f32) {
        self.pairs.push((index, value));
    }
    /// Appends the row and returns its index. Fails, appending nothing, when an index is out of
    /// range or a value is not finite.
    pub fn finish(mut self) -> Result<usize> {
        let n_cols = self.matrix.n_cols;
        if let Some(&(i, _)) = self.pairs.iter().find(|(i, _)| *i as usize >= n_cols) {
            return Err(Error::param(
                "row",
                format!("column {i} out of range (n_cols {n_cols})"),
            ));
        }
        if self.pairs.iter().any(|(_, v)| !v.is_finite()) {
            return Err(Error::param("row", "values must be finite"));
        }
        self.pairs.sort_unstable_by_key(|p| p.0);
        let m = &mut *self.matrix;
        let start = m.indices.len();
        for &(i, v) in &self.pairs {
            if m.indices.len() > start && m.indices.last() == Some(&i) {
                if let Some(last) = m.values.last_mut() {
                    *last += v;
                }
            } else {
                m.indices.push(i);
                m.values.push(v);
            }
        }
        // Drop explicit zeros (including duplicates that cancelled out).
        let mut w = start;
        for r in start..m.indices.len() {
            if m.values[r] != 0.0 {
                m.indices[w] = m.indices[r];
                m.values[w] = m.values[r];
                w += 1;
            }
        }
        m.indices.truncate(w);
        m.values.truncate(w);
        m.indptr.push(w);
        Ok(m.nrows() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_sorts_sums_and_checks() {
        let mut x = SparseMatrix::new(4);
        x.push_row([(3, 1.0), (1, 2.0), (3, -1.0), (0, 0.5)])
            .unwrap();
        assert_eq!(x.row(0).unwrap().indices(), &[0, 1]);
        assert_eq!(x.row(0).unwrap().values(), &[0.5, 2.0]);
        assert!(x.push_row([(4, 1.0)]).is_err());
        assert!(x.push_row([(1, f32::NAN)]).is_err());
        assert_eq!(x.nrows(), 1);
        x.push_row([]).unwrap();
        assert_eq!(x.nrows(), 2);
        assert_eq!(x.row(1).unwrap().nnz(), 0);
        assert!(x.row(2).is_none());
        let s = x.select_rows(&[1, 0, 7]);
        assert_eq!(s.nrows(), 2);
        assert_eq!(s.row(1).unwrap().indices(), &[0, 1]);
    }

    #[test]
    fn from_csr_validates() {
        assert!(SparseMatrix::from_csr(vec![0, 2], vec![1, 3], vec![1.0, 1.0], 4).is_ok());
        assert!(SparseMatrix::from_csr(vec![0, 2], vec![3, 1], vec![1.0, 1.0], 4).is_err());
        assert!(SparseMatrix::from_csr(vec![0, 2], vec![1, 4], vec![1.0, 1.0], 4).is_err());
        assert!(SparseMatrix::from_csr(vec![0, 3], vec![1, 2], vec![1.0, 1.0], 4).is_err());
        assert!(SparseMatrix::from_csr(vec![1, 2], vec![1, 2], vec![1.0, 1.0], 4).is_err());
    }
}
