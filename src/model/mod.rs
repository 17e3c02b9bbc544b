//! Labels, linear models, calibration and the on-disk model bundle.
//!
//! Training goes: a [`SparseMatrix`] of hashed features → [`SparseLogisticParams`] (L-BFGS) or
//! [`FtrlParams`] (online, incremental) per label, over one matrix with per-label row masks
//! ([`fit_labels`]) → out-of-fold scores ([`out_of_fold`]) → a [`Calibrator`] per label → one
//! compact [`LinearModel`] → a versioned [`Bundle`] on disk.

mod bundle;
mod calibration;
mod ftrl;
mod label;
mod linear;
mod logistic;
mod multilabel;
mod sparse;

pub use bundle::{Bundle, ModelCard, SplitFigures, FORMAT_VERSION, MAGIC};
pub use calibration::{out_of_fold, out_of_fold_with, Calibrator, KFold};
pub(crate) use ftrl::SplitMix;
pub use ftrl::{FtrlParams, FtrlValidParams};
pub use label::Label;
pub use linear::{LinearModel, Quantization, RawWeights};
pub use logistic::{
    sigmoid, SparseLogistic, SparseLogisticParams, SparseLogisticValidParams, SparseSolver,
};
pub use multilabel::{fit_labels, fit_masked};
pub use sparse::{RowBuilder, SparseMatrix, SparseRow};

impl From<linfa::Error> for crate::Error {
    fn from(e: linfa::Error) -> crate::Error {
        match e {
            linfa::Error::Parameters(m) => crate::Error::param("linfa", m),
            other => crate::Error::model(other.to_string()),
        }
    }
}
