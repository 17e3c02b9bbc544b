//! IDF weighting of the hashed n-gram features (`train --idf`), folded into the weights.
//!
//! At train time each bucket `b` in scope gets `idf_b = ln((1 + N) / (1 + df_b)) + 1`
//! (scikit-learn's smooth idf; `N` training rows, `df_b` of them with bucket `b`), or its
//! square root ([`IdfWeighting::sublinear`]), divided by one constant: the root mean square of
//! the factors over the weighted entries of the training rows, so the weighted blocks keep
//! about the norm the count-based scales give them (FTRL's step sizes and L2 were tuned for
//! it). Every training value in `b` is multiplied by its factor, the labels are fitted as
//! usual, and then each weight is folded: `w_b ← w_b · idf_b`.
//! Since `Σ x_b · idf_b · w_b = Σ x_b · (idf_b · w_b)`, the bundle scores unweighted features
//! with the unchanged scoring code, and dev rows (calibration, thresholds) go through the
//! folded model exactly as scoring does. Rows keep the count-based block scales of
//! [`FeatureSpace::extract`]: an exact L2 norm after IDF would need the IDF at scoring time.
//!
//! Document frequencies are counted on the training rows only. A bucket that any out-of-scope
//! feature also reached in those rows (hashed features share buckets) keeps weight 1, so that
//! one factor per bucket is right for every feature in it.

use crate::features::{Context, FeatureKind, FeatureSink, FeatureSpace, Scratch};
use crate::model::{SparseLogistic, SparseMatrix};
use crate::Result;
use rayon::prelude::*;
use std::ops::Range;

/// Which buckets get IDF weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum IdfScope {
    /// No IDF weighting: training is exactly as without this option. The default.
    #[default]
    Off,
    /// Word unigram and bigram buckets only.
    Words,
    /// Word unigrams, bigrams and byte n-grams inside words.
    NGrams,
    /// Every bucket a training row reaches, lexicon and cue features included.
    All,
}

impl IdfScope {
    /// The name used on the command line and in model cards (`off`, `words`, `ngrams`, `all`).
    pub fn name(self) -> &'static str {
        match self {
            IdfScope::Off => "off",
            IdfScope::Words => "words",
            IdfScope::NGrams => "ngrams",
            IdfScope::All => "all",
        }
    }
    /// Parses a name from [`name`](Self::name).
    pub fn from_name(s: &str) -> Option<IdfScope> {
        [
            IdfScope::Off,
            IdfScope::Words,
            IdfScope::NGrams,
            IdfScope::All,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }
    /// Kind bits ([`kind_bit`]) a bucket may carry and still be weighted.
    fn allowed(self) -> u8 {
        match self {
            IdfScope::Off => 0,
            IdfScope::Words => WORDS,
            IdfScope::NGrams => WORDS | SUBWORDS,
            IdfScope::All => WORDS | SUBWORDS | OTHER,
        }
    }
}

/// IDF weighting of the training features, folded into the weights (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct IdfWeighting {
    /// Which buckets are weighted. Default [`IdfScope::Off`].
    pub scope: IdfScope,
    /// Use `sqrt(idf)` instead of `idf` (a milder spread). Default false.
    pub sublinear: bool,
}

impl IdfWeighting {
    /// Weighting of `scope`'s buckets, plain (`sublinear` false).
    pub fn new(scope: IdfScope) -> IdfWeighting {
        IdfWeighting {
            scope,
            sublinear: false,
        }
    }
    /// True when it changes anything.
    pub fn is_on(&self) -> bool {
        self.scope != IdfScope::Off
    }
    /// A short description for the model card.
    pub fn describe(&self) -> String {
        format!(
            "idf {} ({}, divided by its root mean square over the training entries), counted \
             on the training rows and folded into the weights",
            self.scope.name(),
            if self.sublinear {
                "sqrt(ln((1+N)/(1+df))+1)"
            } else {
                "ln((1+N)/(1+df))+1"
            }
        )
    }
}

const WORDS: u8 = 1;
const SUBWORDS: u8 = 2;
const OTHER: u8 = 4;

fn kind_bit(k: FeatureKind) -> u8 {
    match k {
        FeatureKind::Word | FeatureKind::WordPair => WORDS,
        FeatureKind::Subword => SUBWORDS,
        _ => OTHER,
    }
}

/// For every bucket, the kinds of feature ([`kind_bit`]s) that reached it in `texts`.
fn bucket_kinds(space: &FeatureSpace, texts: &[&str]) -> Vec<u8> {
    struct Kinds<'a>(&'a mut [u8]);
    impl FeatureSink for Kinds<'_> {
        fn push(&mut self, index: u32, _: f32, kind: FeatureKind, _: Range<usize>) {
            if let Some(k) = self.0.get_mut(index as usize) {
                *k |= kind_bit(kind);
            }
        }
    }
    let dim = space.dim();
    texts
        .par_chunks(512)
        .fold(
            || vec![0u8; dim],
            |mut acc, chunk| {
                let mut sc = Scratch::default();
                for t in chunk {
                    space.extract_with(t, &Context::default(), &mut sc, &mut Kinds(&mut acc));
                }
                acc
            },
        )
        .reduce(
            || vec![0u8; dim],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x |= y);
                a
            },
        )
}

/// The IDF factor of every bucket of `x` (1 out of scope and in buckets no row reaches),
/// normalised as the module docs say, counted over the rows `rows` of
/// `x`, whose texts are `texts` (in the same order as `rows`; used to tell the buckets'
/// feature kinds apart).
pub fn idf_factors(
    idf: IdfWeighting,
    space: &FeatureSpace,
    x: &SparseMatrix,
    rows: &[usize],
    texts: &[&str],
) -> Vec<f32> {
    let dim = x.ncols();
    if !idf.is_on() {
        return vec![1.0; dim];
    }
    let mut df = vec![0u32; dim];
    for row in rows.iter().filter_map(|&r| x.row(r)) {
        // Rows are merged: each bucket appears at most once per row.
        for &i in row.indices() {
            df[i as usize] += 1;
        }
    }
    let allowed = idf.scope.allowed();
    let kinds = if idf.scope == IdfScope::All {
        Vec::new()
    } else {
        bucket_kinds(space, texts)
    };
    let n = rows.len() as f64;
    let mut f: Vec<Option<f64>> = df
        .iter()
        .enumerate()
        .map(|(b, &d)| {
            let k = kinds.get(b).copied().unwrap_or(allowed);
            if d == 0 || k & !allowed != 0 {
                return None;
            }
            let v = ((1.0 + n) / (1.0 + f64::from(d))).ln() + 1.0;
            Some(if idf.sublinear { v.sqrt() } else { v })
        })
        .collect();
    // Divide by the root mean square of the factors over the weighted entries of the rows,
    // so a block of weighted features keeps about the norm the count-based scales give it.
    // FTRL's per-coordinate rates make a shared feature scale act like a larger learning
    // rate: unnormalised (RMS about 6 for `ngrams`), mean corpus dev ROC AUC fell from
    // 0.873 to 0.848.
    let (mut sq, mut count) = (0.0, 0.0);
    for (v, &d) in f.iter().zip(&df) {
        if let Some(v) = v {
            sq += v * v * f64::from(d);
            count += f64::from(d);
        }
    }
    if count > 0.0 {
        let rms = (sq / count).sqrt();
        f.iter_mut().flatten().for_each(|v| *v /= rms);
    }
    f.into_iter().map(|v| v.unwrap_or(1.0) as f32).collect()
}

/// The training matrix: rows `rows` of `x` with every value multiplied by its bucket's factor
/// (`None`: unchanged) and, when `offsets` is given, one more feature per row (its bucket,
/// value 1; not weighted). With neither, it is `x.select_rows(rows)` exactly.
pub fn training_matrix(
    x: &SparseMatrix,
    rows: &[usize],
    factors: Option<&[f32]>,
    offsets: Option<&[u32]>,
) -> Result<SparseMatrix> {
    if factors.is_none() && offsets.is_none() {
        return Ok(x.select_rows(rows));
    }
    let mut out = SparseMatrix::new(x.ncols());
    for (k, &r) in rows.iter().enumerate() {
        let row = x.row(r).into_iter().flat_map(|row| row.iter());
        let scaled = row.map(|(i, v)| match factors {
            Some(f) => (i, v * f.get(i as usize).copied().unwrap_or(1.0)),
            None => (i, v),
        });
        let extra = offsets.and_then(|o| o.get(k)).map(|&b| (b, 1.0));
        out.push_row(scaled.chain(extra))?;
    }
    Ok(out)
}

/// Folds the factors into fitted weights (`w_b ← w_b · factor_b`), so the models score
/// unweighted rows as the fits scored weighted ones.
pub fn fold(models: &mut [SparseLogistic], factors: &[f32]) {
    for m in models {
        for (w, f) in m.weights.iter_mut().zip(factors) {
            *w *= f;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::model::{FtrlParams, LinearModel, Quantization, SparseSolver};
    use crate::train::featurize;
    use crate::train::Silent;
    use linfa::ParamGuard;

    const TEXTS: [&str; 8] = [
        "these people are vermin and rats",
        "they infest our streets like cockroaches",
        "thanks for the lovely recipe",
        "the council meeting is on tuesday",
        "go back to where you came from, vermin",
        "what a lovely photo of the harbour",
        "rats in the kitchen again, call the council",
        "those scum should be exterminated",
    ];
    const TRUTH: [bool; 8] = [true, true, false, false, true, false, false, true];

    fn space() -> FeatureSpace {
        let cfg = crate::features::FeatureConfig {
            bits: 14,
            ..Default::default()
        };
        FeatureSpace::new(cfg, Lexicon::default()).unwrap()
    }

    #[test]
    fn folded_model_scores_raw_rows_as_the_fit_scored_weighted_ones() {
        let space = space();
        let (x, _, _) = featurize(&space, &TEXTS, &Silent).unwrap();
        let rows: Vec<usize> = (0..TEXTS.len()).collect();
        for scope in [IdfScope::Words, IdfScope::NGrams, IdfScope::All] {
            for sublinear in [false, true] {
                let idf = IdfWeighting { scope, sublinear };
                let f = idf_factors(idf, &space, &x, &rows, &TEXTS);
                assert!(f.iter().any(|&v| v > 1.0), "{scope:?}: nothing weighted");
                let xw = training_matrix(&x, &rows, Some(&f), None).unwrap();
                let params = FtrlParams::new().passes(5).check().unwrap();
                let fit = params.fit_rows(&xw, &rows, &TRUTH, None, None).unwrap();
                let mut folded = vec![fit.clone()];
                fold(&mut folded, &f);
                let dim = space.dim();
                let model = LinearModel::from_models(
                    &[crate::Label::Toxic],
                    &folded,
                    dim,
                    Quantization::I8,
                )
                .unwrap();
                for r in rows.iter().copied() {
                    let raw = x.row(r).unwrap();
                    let want = fit.decision(&xw.row(r).unwrap());
                    // f32 fold, exactly the same sum.
                    let f32_folded = folded[0].decision(&raw);
                    assert!((f32_folded - want).abs() < 1e-4, "{f32_folded} vs {want}");
                    // The i8 bundle, within its quantisation bound.
                    let got = model.logits(&raw)[0];
                    let bound = model.error_bound(0, &raw) + 1e-4;
                    assert!(
                        (got - want).abs() <= bound,
                        "{scope:?} row {r}: {got} vs {want} (bound {bound})"
                    );
                }
            }
        }
    }

    #[test]
    fn factors_follow_document_frequency_and_scope() {
        let space = space();
        let (x, _, _) = featurize(&space, &TEXTS, &Silent).unwrap();
        let rows: Vec<usize> = (0..TEXTS.len()).collect();
        let n = TEXTS.len() as f64;
        let f = idf_factors(IdfWeighting::new(IdfScope::All), &space, &x, &rows, &TEXTS);
        let mut df = vec![0u32; space.dim()];
        for r in &rows {
            for &i in x.row(*r).unwrap().indices() {
                df[i as usize] += 1;
            }
        }
        // Proportional to the smooth idf in every bucket a row reaches, 1 elsewhere, and of
        // mean square 1 over the rows' entries.
        let mut ratio = None;
        let (mut sq, mut count) = (0.0f64, 0.0f64);
        for (b, &d) in df.iter().enumerate() {
            if d == 0 {
                assert_eq!(f[b], 1.0, "bucket {b}");
                continue;
            }
            let idf = (((1.0 + n) / (1.0 + f64::from(d))).ln() + 1.0) as f32;
            let r = *ratio.get_or_insert(f[b] / idf);
            assert!(
                (f[b] / idf - r).abs() < 1e-5,
                "bucket {b}: {} vs {idf}·{r}",
                f[b]
            );
            sq += f64::from(f[b]).powi(2) * f64::from(d);
            count += f64::from(d);
        }
        assert!(
            (sq / count - 1.0).abs() < 1e-4,
            "mean square {}",
            sq / count
        );
        // Words only: no bucket a byte n-gram or a lexicon feature reached is weighted.
        let fw = idf_factors(
            IdfWeighting::new(IdfScope::Words),
            &space,
            &x,
            &rows,
            &TEXTS,
        );
        let kinds = bucket_kinds(&space, &TEXTS);
        let mut ratio = None;
        for (b, &k) in kinds.iter().enumerate() {
            if k & (SUBWORDS | OTHER) != 0 {
                assert_eq!(fw[b], 1.0, "bucket {b} kinds {k}");
            } else if k == WORDS {
                let r = *ratio.get_or_insert(fw[b] / f[b]);
                assert!((fw[b] / f[b] - r).abs() < 1e-5, "bucket {b}");
            }
        }
        assert!(ratio.is_some(), "no bucket of words only");
        // Off: all ones.
        let off = idf_factors(IdfWeighting::default(), &space, &x, &rows, &TEXTS);
        assert!(off.iter().all(|&v| v == 1.0));
    }

    #[test]
    fn without_factors_or_offsets_the_training_matrix_is_the_selected_rows() {
        let space = space();
        let (x, _, _) = featurize(&space, &TEXTS, &Silent).unwrap();
        let rows = [3, 0, 5, 1];
        let m = training_matrix(&x, &rows, None, None).unwrap();
        assert_eq!(m.as_csr(), x.select_rows(&rows).as_csr());
        let ones = vec![1.0; space.dim()];
        let m1 = training_matrix(&x, &rows, Some(&ones), None).unwrap();
        assert_eq!(m1.as_csr(), m.as_csr());
        // With offsets: each row plus its offset bucket, duplicates summed (as before --idf).
        let offsets = [7u32, 7, 9, 11];
        let mo = training_matrix(&x, &rows, None, Some(&offsets)).unwrap();
        let mut want = SparseMatrix::new(x.ncols());
        for (&r, &o) in rows.iter().zip(&offsets) {
            let row = x.row(r).unwrap();
            want.push_row(row.iter().chain(std::iter::once((o, 1.0))))
                .unwrap();
        }
        assert_eq!(mo.as_csr(), want.as_csr());
        assert_ne!(mo.as_csr(), m.as_csr());
    }
}
