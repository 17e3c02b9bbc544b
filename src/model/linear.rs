//! The compact scoring model: per-label weights over one shared hash space, quantised and
//! interleaved by bucket so one sparse row is scored for every label in one pass.

use super::calibration::Calibrator;
use super::label::Label;
use super::logistic::{sigmoid, SparseLogistic};
use super::sparse::SparseRow;
use crate::{Error, Result};

/// How weights are stored. Each label `l` has a scale `s_l = max|w_l| / Q` (`Q` = 127 or
/// 32767) and every weight is stored as `round(w / s_l)`, so the error on one weight is at most
/// `s_l / 2` and on one logit at most `Σ|x_j| · s_l / 2` ([`LinearModel::error_bound`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Quantization {
    /// One byte per weight: 7 labels × 2^20 buckets = 7 MiB.
    #[default]
    I8,
    /// Two bytes per weight: 7 labels × 2^20 buckets = 14 MiB.
    I16,
}

impl Quantization {
    fn max(self) -> f32 {
        match self {
            Quantization::I8 => 127.0,
            Quantization::I16 => 32767.0,
        }
    }
    /// The name used in bundle headers (`i8`, `i16`).
    pub fn name(self) -> &'static str {
        match self {
            Quantization::I8 => "i8",
            Quantization::I16 => "i16",
        }
    }
    /// Parses a name from [`name`](Self::name).
    pub fn from_name(s: &str) -> Option<Quantization> {
        match s {
            "i8" => Some(Quantization::I8),
            "i16" => Some(Quantization::I16),
            _ => None,
        }
    }
    /// Bytes per stored weight.
    pub fn bytes(self) -> usize {
        match self {
            Quantization::I8 => 1,
            Quantization::I16 => 2,
        }
    }
}

/// A borrowed view of a model's stored weights ([`LinearModel::raw_weights`]).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum RawWeights<'a> {
    /// One byte per weight.
    I8(&'a [i8]),
    /// Two bytes per weight.
    I16(&'a [i16]),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Weights {
    I8(Vec<i8>),
    I16(Vec<i16>),
}

/// Per-label linear models over one hash space, with thresholds and calibrators.
///
/// Weights are stored bucket-major: bucket `b`'s weights for the labels sit side by side at
/// `b · n_labels ..`, so scoring a row touches one cache line per non-zero feature.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub(super) labels: Vec<Label>,
    pub(super) n_buckets: usize,
    pub(super) weights: Weights,
    pub(super) scales: Vec<f32>,
    pub(super) biases: Vec<f32>,
    pub(super) thresholds: Vec<f32>,
    pub(super) calibrators: Vec<Calibrator>,
}

impl LinearModel {
    /// Builds a model from one fitted model per label (all over `n_buckets` columns; shorter
    /// weight vectors are padded with zeros). Thresholds start at 0.5, calibrators at identity.
    /// Fails on an empty or repeated label set, a count mismatch or a non-finite weight.
    pub fn from_models(
        labels: &[Label],
        models: &[SparseLogistic],
        n_buckets: usize,
        quantization: Quantization,
    ) -> Result<LinearModel> {
        check_labels(labels)?;
        if models.len() != labels.len() {
            return Err(Error::param(
                "models",
                format!("{} models for {} labels", models.len(), labels.len()),
            ));
        }
        let nl = labels.len();
        let mut scales = Vec::with_capacity(nl);
        for m in models {
            if m.weights.len() > n_buckets {
                return Err(Error::param(
                    "models",
                    format!("{} weights for {n_buckets} buckets", m.weights.len()),
                ));
            }
            if !m.bias.is_finite() || m.weights.iter().any(|w| !w.is_finite()) {
                return Err(Error::param("models", "weights must be finite"));
            }
            let max = m.weights.iter().fold(0.0f32, |a, w| a.max(w.abs()));
            scales.push(if max > 0.0 {
                max / quantization.max()
            } else {
                1.0
            });
        }
        let q = |l: usize, b: usize| -> f32 {
            let w = models[l].weights.get(b).copied().unwrap_or(0.0);
            (w / scales[l])
                .round()
                .clamp(-quantization.max(), quantization.max())
        };
        let len = n_buckets
            .checked_mul(nl)
            .ok_or_else(|| Error::param("n_buckets", "too large"))?;
        let weights = match quantization {
            Quantization::I8 => Weights::I8((0..len).map(|k| q(k % nl, k / nl) as i8).collect()),
            Quantization::I16 => Weights::I16((0..len).map(|k| q(k % nl, k / nl) as i16).collect()),
        };
        Ok(LinearModel {
            labels: labels.to_vec(),
            n_buckets,
            weights,
            scales,
            biases: models.iter().map(|m| m.bias).collect(),
            thresholds: vec![0.5; nl],
            calibrators: vec![Calibrator::identity(); nl],
        })
    }

    /// Sets the decision threshold (on the calibrated probability) of every label, in label
    /// order; each must be in [0, 1].
    pub fn with_thresholds(mut self, thresholds: &[f32]) -> Result<LinearModel> {
        if thresholds.len() != self.labels.len() {
            return Err(Error::param(
                "thresholds",
                format!("{} for {} labels", thresholds.len(), self.labels.len()),
            ));
        }
        if thresholds.iter().any(|t| !(0.0..=1.0).contains(t)) {
            return Err(Error::param("thresholds", "must be in [0, 1]"));
        }
        self.thresholds = thresholds.to_vec();
        Ok(self)
    }

    /// Sets the calibrator of every label, in label order. Each takes the label's logit as its
    /// first feature, then the caller's extra features.
    pub fn with_calibrators(mut self, calibrators: Vec<Calibrator>) -> Result<LinearModel> {
        if calibrators.len() != self.labels.len() {
            return Err(Error::param(
                "calibrators",
                format!("{} for {} labels", calibrators.len(), self.labels.len()),
            ));
        }
        if calibrators.iter().any(|c| {
            c.weights.is_empty()
                || c.weights
                    .iter()
                    .chain([&c.intercept])
                    .any(|w| !w.is_finite())
        }) {
            return Err(Error::param("calibrators", "need >= 1 finite weight each"));
        }
        self.calibrators = calibrators;
        Ok(self)
    }

    /// The labels, in the order of every per-label output.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }
    /// Position of `label` in [`labels`](Self::labels).
    pub fn label_index(&self, label: Label) -> Option<usize> {
        self.labels.iter().position(|&l| l == label)
    }
    /// Size of the hash space.
    pub fn n_buckets(&self) -> usize {
        self.n_buckets
    }
    /// How the weights are stored.
    pub fn quantization(&self) -> Quantization {
        match self.weights {
            Weights::I8(_) => Quantization::I8,
            Weights::I16(_) => Quantization::I16,
        }
    }
    /// Decision thresholds, in label order.
    pub fn thresholds(&self) -> &[f32] {
        &self.thresholds
    }
    /// Calibrators, in label order.
    pub fn calibrators(&self) -> &[Calibrator] {
        &self.calibrators
    }
    /// Intercepts, in label order.
    pub fn biases(&self) -> &[f32] {
        &self.biases
    }
    /// Quantisation scales, in label order.
    pub fn scales(&self) -> &[f32] {
        &self.scales
    }

    /// The (dequantised) weight of label `l` at `bucket`; 0 out of range.
    pub fn weight(&self, l: usize, bucket: u32) -> f32 {
        let nl = self.labels.len();
        if l >= nl {
            return 0.0;
        }
        let k = bucket as usize * nl + l;
        let q = match &self.weights {
            Weights::I8(w) => w.get(k).map(|v| f32::from(*v)),
            Weights::I16(w) => w.get(k).map(|v| f32::from(*v)),
        };
        q.unwrap_or(0.0) * self.scales[l]
    }

    /// Writes the logit of every label for `row` into `out` (`out.len()` must be at least the
    /// number of labels; extra entries are left alone). Buckets past the hash space count 0.
    pub fn logits_into(&self, row: &SparseRow<'_>, out: &mut [f32]) {
        let nl = self.labels.len();
        let Some(out) = out.get_mut(..nl) else { return };
        let mut acc = [0.0f32; 16];
        let mut big = Vec::new();
        let acc: &mut [f32] = if nl <= acc.len() {
            &mut acc[..nl]
        } else {
            big.resize(nl, 0.0);
            &mut big
        };
        match &self.weights {
            Weights::I8(w) => accumulate(w, nl, row, acc),
            Weights::I16(w) => accumulate(w, nl, row, acc),
        }
        for (l, o) in out.iter_mut().enumerate() {
            *o = acc[l] * self.scales[l] + self.biases[l];
        }
    }

    /// The logit of every label for `row`, in label order.
    pub fn logits(&self, row: &SparseRow<'_>) -> Vec<f32> {
        let mut out = vec![0.0; self.labels.len()];
        self.logits_into(row, &mut out);
        out
    }

    /// Label `l`'s calibrated probability from its logit and the caller's extra features
    /// (the same ones, in the same order, as at calibration time). NaN for a bad `l`.
    pub fn probability(&self, l: usize, logit: f32, extra: &[f64]) -> f32 {
        let Some(c) = self.calibrators.get(l) else {
            return f32::NAN;
        };
        if extra.is_empty() || c.weights.len() == 1 {
            let w0 = c.weights.first().copied().unwrap_or(1.0);
            return sigmoid(w0 * f64::from(logit) + c.intercept) as f32;
        }
        // On the stack for the usual few extras (scoring calls this per label per comment).
        let mut small = [0f64; 16];
        let mut big = Vec::new();
        let f: &mut [f64] = if extra.len() < small.len() {
            &mut small[..1 + extra.len()]
        } else {
            big.resize(1 + extra.len(), 0.0);
            &mut big
        };
        f[0] = f64::from(logit);
        f[1..].copy_from_slice(extra);
        c.probability(f) as f32
    }

    /// Every label's calibrated probability for `row`, with `extra` features shared by all
    /// labels (empty when the calibrators take the logit only).
    pub fn probabilities(&self, row: &SparseRow<'_>, extra: &[f64]) -> Vec<f32> {
        let logits = self.logits(row);
        logits
            .iter()
            .enumerate()
            .map(|(l, &z)| self.probability(l, z, extra))
            .collect()
    }

    /// Per-feature contributions `(bucket, weight × value)` to label `l`'s logit, largest
    /// absolute first, zeros left out.
    pub fn contributions(&self, l: usize, row: &SparseRow<'_>) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = row
            .iter()
            .filter_map(|(b, v)| {
                let c = self.weight(l, b) * v;
                (c != 0.0).then_some((b, c))
            })
            .collect();
        out.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        out
    }

    /// The largest possible difference between label `l`'s logit here and the unquantised
    /// model's: `Σ|x_j| · scale_l / 2`.
    pub fn error_bound(&self, l: usize, row: &SparseRow<'_>) -> f32 {
        let s = self.scales.get(l).copied().unwrap_or(0.0);
        row.values().iter().map(|v| v.abs()).sum::<f32>() * s / 2.0
    }

    /// The stored (quantised) weights, bucket-major: bucket `b`'s weights for the labels at
    /// `b · n_labels ..`. Scoring sums them in these units and finishes with
    /// [`logits_from_raw`](Self::logits_from_raw).
    pub fn raw_weights(&self) -> RawWeights<'_> {
        match &self.weights {
            Weights::I8(w) => RawWeights::I8(w),
            Weights::I16(w) => RawWeights::I16(w),
        }
    }

    /// Logits from per-label sums of raw weight × feature value (label order): each sum times
    /// the label's scale, plus its intercept, as [`logits_into`](Self::logits_into) does.
    pub fn logits_from_raw(&self, raw: &[f32], out: &mut [f32]) {
        for (l, (o, r)) in out.iter_mut().zip(raw).enumerate().take(self.labels.len()) {
            *o = r * self.scales[l] + self.biases[l];
        }
    }

    /// Bytes of weight storage.
    pub fn weight_bytes(&self) -> usize {
        match &self.weights {
            Weights::I8(w) => w.len(),
            Weights::I16(w) => w.len() * 2,
        }
    }
}

#[inline]
fn accumulate<T: Copy + Into<f32>>(w: &[T], nl: usize, row: &SparseRow<'_>, acc: &mut [f32]) {
    for (b, v) in row.iter() {
        let base = b as usize * nl;
        if let Some(ws) = w.get(base..base + nl) {
            for (a, q) in acc.iter_mut().zip(ws) {
                *a += (*q).into() * v;
            }
        }
    }
}

/// Checks a label set: non-empty, no repeats.
pub(super) fn check_labels(labels: &[Label]) -> Result<()> {
    if labels.is_empty() {
        return Err(Error::param("labels", "at least one label is needed"));
    }
    for (i, l) in labels.iter().enumerate() {
        if labels[..i].contains(l) {
            return Err(Error::param("labels", format!("label {l} appears twice")));
        }
    }
    Ok(())
}
