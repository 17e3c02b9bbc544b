//! `features` (being written).
