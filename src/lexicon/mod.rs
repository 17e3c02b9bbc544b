//! `lexicon` (being written).
