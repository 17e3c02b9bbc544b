//! Labels, linear models, calibration and the on-disk model bundle.

mod label;

pub use label::Label;
