//! Training: dataset adapters, evaluation metrics, and the train/eval pipeline.

pub mod datasets;
pub mod metrics;
mod pipeline;

pub use pipeline::{
    evaluate, featurize, load_examples, predict_matrix, train, Progress, Silent, TrainConfig,
    Trained,
};
