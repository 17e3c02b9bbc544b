//! Training, scoring and bundle-loading benchmarks.
//!
//! `cargo bench --bench train` runs the criterion benches (small fits, scoring one row for
//! every label, loading a full-size bundle). With `CG_TRAIN_BUDGET=1` it first runs the
//! retrain budget once — 7 labels, ~70k rows × 300 non-zeros over 2^20 buckets (change with
//! `CG_BUDGET_ROWS`, `CG_BUDGET_BITS`, `CG_BUDGET_SOLVER=ftrl|lbfgs`, `CG_BUDGET_ITERS`) — and
//! prints the wall time, held-out AUC per label and bundle size and load time.

use commentguard::model::{
    fit_labels, Bundle, FtrlParams, Label, LinearModel, ModelCard, Quantization, SparseLogistic,
    SparseLogisticParams, SparseMatrix,
};
use commentguard::train::metrics::roc_auc;
use criterion::{criterion_group, Criterion};
use linfa::ParamGuard;
use std::hint::black_box;
use std::time::Instant;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Text-like data: each row draws `nnz` buckets from a Zipf-like vocabulary of 200k "n-grams"
/// hashed into `2^bits` buckets (values 1/sqrt(nnz), as an L2-normalised row); each of the 7
/// labels is a noisy linear function of a hidden sparse weight vector; label `l` is annotated
/// on a different subset of rows (as when data sets carry different labels).
fn corpus(rows: usize, bits: u32, nnz: usize, seed: u64) -> (SparseMatrix, Vec<Vec<Option<bool>>>) {
    let n_cols = 1usize << bits;
    let vocab = 200_000u64;
    let mut rng = Rng(seed);
    let hidden: Vec<Vec<f32>> = (0..7)
        .map(|l| {
            let mut r = Rng(1000 + l);
            (0..vocab)
                .map(|_| {
                    if r.unit() < 0.02 {
                        (r.unit() * 8.0 - 4.0) as f32
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let mut x = SparseMatrix::new(n_cols);
    let mut targets: Vec<Vec<Option<bool>>> = (0..7).map(|_| Vec::with_capacity(rows)).collect();
    let v = 1.0 / (nnz as f32).sqrt();
    let mut z = [0f32; 7];
    for r in 0..rows {
        let mut b = x.row_builder();
        z.fill(0.0);
        for _ in 0..nnz {
            // Zipf-like: small ids are frequent.
            let id = ((vocab as f64).powf(rng.unit()) as u64).min(vocab - 1);
            let bucket = (id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as u32;
            b.push(bucket, v);
            for (l, zl) in z.iter_mut().enumerate() {
                *zl += hidden[l][id as usize] * v;
            }
        }
        b.finish().expect("valid row");
        for (l, col) in targets.iter_mut().enumerate() {
            let annotated = l == 0 || (r + l) % 3 != 0;
            let noisy = z[l] + (rng.unit() as f32 - 0.5) * 2.0 - 0.5;
            col.push(annotated.then_some(noisy > 0.0));
        }
    }
    (x, targets)
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn budget() {
    let rows: usize = env("CG_BUDGET_ROWS", 70_000);
    let bits: u32 = env("CG_BUDGET_BITS", 20);
    let solver: String = env("CG_BUDGET_SOLVER", "ftrl".to_string());
    let iters: u64 = env("CG_BUDGET_ITERS", 100);
    let t = Instant::now();
    let (x, targets) = corpus(rows + 10_000, bits, 300, 1);
    eprintln!(
        "budget: corpus {} rows × 2^{bits}, {} nnz, built in {:.1?}",
        x.nrows(),
        x.nnz(),
        t.elapsed()
    );
    let train_rows: Vec<usize> = (0..rows).collect();
    let test_rows: Vec<usize> = (rows..rows + 10_000).collect();
    let xt = x.select_rows(&train_rows);
    let tt: Vec<Vec<Option<bool>>> = targets.iter().map(|c| c[..rows].to_vec()).collect();
    let t = Instant::now();
    let models: Vec<SparseLogistic> = match solver.as_str() {
        "lbfgs" => {
            let p = SparseLogisticParams::new()
                .max_iter(iters)
                .check()
                .expect("params");
            fit_labels(&p, &xt, &tt, None, None).expect("fit")
        }
        _ => {
            let p = FtrlParams::new().check().expect("params");
            fit_labels(&p, &xt, &tt, None, None).expect("fit")
        }
    };
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "budget: {solver} 7 labels on {rows} rows: {secs:.1} s (budget 60 s, {} threads)",
        rayon::current_num_threads()
    );
    for (l, m) in models.iter().enumerate() {
        let (s, y): (Vec<f32>, Vec<bool>) = test_rows
            .iter()
            .filter_map(|&r| targets[l][r].map(|v| (m.decision(&x.row(r).expect("row")), v)))
            .unzip();
        eprintln!(
            "  label {l}: held-out AUC {:.4}",
            roc_auc(&s, &y).unwrap_or(f64::NAN)
        );
    }
    for q in [Quantization::I16, Quantization::I8] {
        let lm = LinearModel::from_models(&Label::ALL, &models, 1 << bits, q).expect("model");
        let (mut worst, mut sum) = (0.0f32, 0.0f64);
        let mut auc = Vec::new();
        for (l, m) in models.iter().enumerate() {
            let (mut s, mut y) = (Vec::new(), Vec::new());
            for &r in &test_rows {
                let row = x.row(r).expect("row");
                let d = (lm.logits(&row)[l] - m.decision(&row)).abs();
                worst = worst.max(d);
                sum += f64::from(d);
                if let Some(v) = targets[l][r] {
                    s.push(lm.logits(&row)[l]);
                    y.push(v);
                }
            }
            auc.push(format!("{:.4}", roc_auc(&s, &y).unwrap_or(f64::NAN)));
        }
        eprintln!(
            "  {} quantisation: mean |Δlogit| {:.5}, max {:.5}; AUC {}",
            q.name(),
            sum / (7.0 * test_rows.len() as f64),
            worst,
            auc.join(" ")
        );
    }
    let lm =
        LinearModel::from_models(&Label::ALL, &models, 1 << bits, Quantization::I8).expect("model");
    let bytes = Bundle::new(ModelCard::default(), serde_json::json!({}), lm)
        .to_bytes()
        .expect("bytes");
    let t = Instant::now();
    let back = Bundle::from_bytes(&bytes).expect("load");
    eprintln!(
        "  bundle {:.2} MB, parsed in {:.1?}",
        bytes.len() as f64 / 1e6,
        t.elapsed()
    );
    black_box(back);
}

fn benches(c: &mut Criterion) {
    let (x, targets) = corpus(5_000, 18, 300, 2);
    let y: Vec<bool> = targets[0].iter().map(|v| v.unwrap_or(false)).collect();
    let rows: Vec<usize> = (0..x.nrows()).collect();
    let mut g = c.benchmark_group("fit_5k_rows_2^18");
    g.sample_size(10);
    g.bench_function("ftrl_3_passes", |b| {
        let p = FtrlParams::new().check().expect("params");
        b.iter(|| {
            use commentguard::model::SparseSolver;
            black_box(p.fit_rows(&x, &rows, &y, None, None).expect("fit"))
        })
    });
    g.bench_function("lbfgs_30_iters", |b| {
        let p = SparseLogisticParams::new()
            .max_iter(30)
            .check()
            .expect("params");
        b.iter(|| {
            use commentguard::model::SparseSolver;
            black_box(p.fit_rows(&x, &rows, &y, None, None).expect("fit"))
        })
    });
    g.finish();

    // Scoring and loading at full size: 7 labels × 2^20 buckets.
    let models: Vec<SparseLogistic> = (0..7)
        .map(|l| {
            let mut r = Rng(l);
            SparseLogistic {
                weights: (0..1 << 20).map(|_| (r.unit() - 0.5) as f32).collect(),
                bias: 0.0,
            }
        })
        .collect();
    let (xs, _) = corpus(100, 20, 300, 3);
    for q in [Quantization::I8, Quantization::I16] {
        let lm = LinearModel::from_models(&Label::ALL, &models, 1 << 20, q).expect("model");
        let row = xs.row(0).expect("row");
        let mut out = [0f32; 7];
        c.bench_function(&format!("logits_7_labels_300_nnz_{}", q.name()), |b| {
            b.iter(|| lm.logits_into(black_box(&row), &mut out))
        });
        let bytes = Bundle::new(ModelCard::default(), serde_json::json!({}), lm)
            .to_bytes()
            .expect("bytes");
        let mut g = c.benchmark_group("bundle");
        g.sample_size(10);
        g.bench_function(format!("load_7x2^20_{}", q.name()), |b| {
            b.iter(|| black_box(Bundle::from_bytes(&bytes).expect("load")))
        });
        g.finish();
    }
    // The shipped model file, read and made ready to score (the once-per-process cost).
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/models/default.cgm");
    let mut g = c.benchmark_group("bundle");
    g.sample_size(10);
    g.bench_function("load_shipped_model_file", |b| {
        b.iter(|| {
            black_box(
                commentguard::Moderator::load(shipped, commentguard::Policy::default())
                    .expect("the shipped model loads"),
            )
        })
    });
    g.finish();
}

criterion_group!(train, benches);

fn main() {
    if std::env::var_os("CG_TRAIN_BUDGET").is_some() {
        budget();
    }
    train();
    Criterion::default().configure_from_args().final_summary();
}
