//! Training: dataset adapters, evaluation metrics.

pub mod datasets;
pub mod metrics;
