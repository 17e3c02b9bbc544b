//! Training: dataset adapters, evaluation metrics.
