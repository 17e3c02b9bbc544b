//! Evaluation metrics for binary and multi-class predictions.
//!
//! Conventions follow scikit-learn (golden values in tests come from
//! `scripts/golden/metrics.py`): a score at or above a threshold predicts positive; ROC AUC
//! counts a tie between a positive and a negative as one half; average precision is the
//! step-wise sum `Σ (R_k − R_{k−1}) P_k` over distinct score thresholds (no interpolation).
//! Metrics that are undefined (no positives, no negatives) return `None`; ratios with a zero
//! denominator are 0, as scikit-learn's `zero_division=0`.

/// Sorts row indices by score, descending (NaN scores sort last).
fn order_desc(scores: &[f32]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (scores[a], scores[b]);
        match (x.is_nan(), y.is_nan()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            _ => y.total_cmp(&x),
        }
    });
    idx
}

/// Cumulative (threshold, true positives, false positives) at each distinct score, descending.
fn curve(scores: &[f32], truth: &[bool]) -> Vec<(f32, u64, u64)> {
    let n = scores.len().min(truth.len());
    let idx = order_desc(&scores[..n]);
    let mut out: Vec<(f32, u64, u64)> = Vec::new();
    let (mut tp, mut fp) = (0u64, 0u64);
    for (k, &i) in idx.iter().enumerate() {
        if truth[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_group = idx
            .get(k + 1)
            .is_none_or(|&j| scores[j].to_bits() != scores[i].to_bits());
        if last_of_group {
            out.push((scores[i], tp, fp));
        }
    }
    out
}

/// Area under the ROC curve; ties between a positive and a negative count one half.
/// `None` when either class is absent. Extra entries of the longer slice are ignored.
///
/// ```
/// use commentguard::train::metrics::roc_auc;
/// assert_eq!(roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]), Some(0.75));
/// ```
pub fn roc_auc(scores: &[f32], truth: &[bool]) -> Option<f64> {
    let c = curve(scores, truth);
    let &(_, p, n) = c.last()?;
    if p == 0 || n == 0 {
        return None;
    }
    let mut area = 0.0f64;
    let (mut tp0, mut fp0) = (0u64, 0u64);
    for &(_, tp, fp) in &c {
        // trapezoid between consecutive points
        area += (fp - fp0) as f64 * (tp + tp0) as f64 / 2.0;
        tp0 = tp;
        fp0 = fp;
    }
    Some(area / (p as f64 * n as f64))
}

/// Average precision (area under the precision-recall curve, step-wise, as scikit-learn's
/// `average_precision_score`). `None` when there is no positive.
pub fn average_precision(scores: &[f32], truth: &[bool]) -> Option<f64> {
    let c = curve(scores, truth);
    let &(_, p, _) = c.last()?;
    if p == 0 {
        return None;
    }
    let mut ap = 0.0f64;
    let mut r0 = 0.0f64;
    for &(_, tp, fp) in &c {
        let r = tp as f64 / p as f64;
        let prec = tp as f64 / (tp + fp) as f64;
        ap += (r - r0) * prec;
        r0 = r;
    }
    Some(ap)
}

/// Counts of a binary confusion matrix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    /// Predicted positive, truly positive.
    pub tp: u64,
    /// Predicted positive, truly negative.
    pub fp: u64,
    /// Predicted negative, truly negative.
    pub tn: u64,
    /// Predicted negative, truly positive.
    pub fn_: u64,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Confusion {
    /// Counts with `score >= threshold` predicting positive (NaN scores predict negative).
    pub fn at_threshold(scores: &[f32], truth: &[bool], threshold: f32) -> Confusion {
        let mut c = Confusion::default();
        for (&s, &t) in scores.iter().zip(truth) {
            c.add(s >= threshold, t);
        }
        c
    }
    /// Counts from predicted and true classes.
    pub fn from_predictions(predicted: &[bool], truth: &[bool]) -> Confusion {
        let mut c = Confusion::default();
        for (&p, &t) in predicted.iter().zip(truth) {
            c.add(p, t);
        }
        c
    }
    /// Adds one prediction.
    pub fn add(&mut self, predicted: bool, truth: bool) {
        match (predicted, truth) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, false) => self.tn += 1,
            (false, true) => self.fn_ += 1,
        }
    }
    /// `tp / (tp + fp)`, 0 when nothing is predicted positive.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// `tp / (tp + fn)`, 0 when there is no positive.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall: `2tp / (2tp + fp + fn)`, 0 when undefined.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
    /// False-positive rate `fp / (fp + tn)`, 0 when there is no negative.
    pub fn fpr(&self) -> f64 {
        ratio(self.fp, self.fp + self.tn)
    }
    /// `(tp + tn) / n`, 0 when empty.
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
}

/// The threshold (one of the scores) that maximises F1 on these scores, with that F1; the
/// highest such threshold on ties. `None` when there is no positive or no finite score.
/// Meant for dev splits: pick the threshold there, report on test.
pub fn best_f1_threshold(scores: &[f32], truth: &[bool]) -> Option<(f32, f64)> {
    let c = curve(scores, truth);
    let p = c.last()?.1;
    if p == 0 {
        return None;
    }
    let mut best: Option<(f32, f64)> = None;
    for &(thr, tp, fp) in &c {
        if thr.is_nan() {
            continue;
        }
        let f1 = ratio(2 * tp, tp + fp + p);
        if best.is_none_or(|(_, b)| f1 > b) {
            best = Some((thr, f1));
        }
    }
    best
}

/// Fraction of equal entries (over the shorter slice); 0 when empty.
pub fn accuracy<T: PartialEq>(predicted: &[T], truth: &[T]) -> f64 {
    let n = predicted.len().min(truth.len());
    let ok = predicted.iter().zip(truth).filter(|(a, b)| a == b).count();
    ratio(ok as u64, n as u64)
}

/// Macro-averaged F1 over the classes `0..n_classes` (each class's one-vs-rest F1, averaged
/// unweighted; a class absent from both predictions and truth counts 0, as scikit-learn with
/// `labels=range(n_classes)` and `zero_division=0`). Classes ≥ `n_classes` are ignored.
pub fn macro_f1(predicted: &[usize], truth: &[usize], n_classes: usize) -> f64 {
    if n_classes == 0 {
        return 0.0;
    }
    let mut per = vec![Confusion::default(); n_classes];
    for (&p, &t) in predicted.iter().zip(truth) {
        if let Some(c) = per.get_mut(p) {
            if p == t {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        if p != t {
            if let Some(c) = per.get_mut(t) {
                c.fn_ += 1;
            }
        }
    }
    per.iter().map(Confusion::f1).sum::<f64>() / n_classes as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    // Golden values: scripts/golden/metrics.py (scikit-learn 1.9.1).
    const S: [f32; 12] = [0.9, 0.8, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.4, 0.3, 0.2, 0.1];
    const Y: [bool; 12] = [
        true, true, false, true, false, true, false, false, true, false, false, false,
    ];

    #[test]
    fn goldens_binary() {
        assert!((roc_auc(&S, &Y).unwrap() - GOLD_AUC).abs() < 1e-12);
        assert!((average_precision(&S, &Y).unwrap() - GOLD_AP).abs() < 1e-12);
        let c = Confusion::at_threshold(&S, &Y, 0.5);
        assert_eq!((c.tp, c.fp, c.tn, c.fn_), (4, 3, 4, 1));
        assert!((c.precision() - GOLD_P).abs() < 1e-12);
        assert!((c.recall() - GOLD_R).abs() < 1e-12);
        assert!((c.f1() - GOLD_F1).abs() < 1e-12);
        assert!((c.fpr() - 3.0 / 7.0).abs() < 1e-12);
        assert!((c.accuracy() - GOLD_ACC).abs() < 1e-12);
        let (thr, f1) = best_f1_threshold(&S, &Y).unwrap();
        assert_eq!(thr, GOLD_BEST_THR);
        assert!((f1 - GOLD_BEST_F1).abs() < 1e-12);
    }

    #[test]
    fn goldens_multiclass() {
        let p = [0, 1, 2, 2, 1, 0, 0, 2, 1, 1];
        let t = [0, 1, 1, 2, 1, 2, 0, 2, 0, 1];
        assert!((accuracy(&p, &t) - 0.7).abs() < 1e-12);
        assert!((macro_f1(&p, &t, 3) - GOLD_MACRO_F1).abs() < 1e-12);
        assert!((macro_f1(&p, &t, 4) - GOLD_MACRO_F1_4).abs() < 1e-12);
    }

    #[test]
    fn undefined_cases() {
        assert_eq!(roc_auc(&[0.1, 0.2], &[true, true]), None);
        assert_eq!(average_precision(&[0.1, 0.2], &[false, false]), None);
        assert_eq!(roc_auc(&[], &[]), None);
        assert_eq!(roc_auc(&[0.5, 0.5], &[true, false]), Some(0.5));
        assert_eq!(Confusion::default().f1(), 0.0);
        assert_eq!(best_f1_threshold(&[0.3], &[false]), None);
    }

    const GOLD_AUC: f64 = 0.8;
    const GOLD_AP: f64 = 0.7277777777777779;
    const GOLD_P: f64 = 0.5714285714285714;
    const GOLD_R: f64 = 0.8;
    const GOLD_F1: f64 = 0.6666666666666666;
    const GOLD_ACC: f64 = 0.6666666666666666;
    const GOLD_BEST_THR: f32 = 0.55;
    const GOLD_BEST_F1: f64 = 0.7272727272727272;
    const GOLD_MACRO_F1: f64 = 0.6944444444444443;
    const GOLD_MACRO_F1_4: f64 = 0.5208333333333333;
}
