//! Training: dataset adapters, evaluation metrics, and the train/eval pipeline.

pub mod datasets;
mod eval;
mod idf;
pub mod metrics;
mod pipeline;

pub use eval::{
    evaluate_bundle, space_of, write_test_scores, BiasAudit, EvalReport, NativeFigure, RowScores,
    TermFigures,
};
pub use idf::{IdfScope, IdfWeighting};

pub use pipeline::{
    apply_slur_floor, bagged_threshold, evaluate, featurize, load_examples, predict_matrix,
    prevalence_threshold, train, weak_slur_labels, Progress, Silent, TrainConfig, Trained,
    THRESHOLD_ROUNDS,
};
