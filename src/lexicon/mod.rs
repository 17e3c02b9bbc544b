//! The lexicon: curated word lists (identity terms, slurs, dehumanising vocabulary, and cue
//! lists for negation, reporting, counter-speech, threats, obscenity and insults) and a fast
//! whole-word matcher over normalised text.
//!
//! The lists are TSV files in `src/lexicon/data/`, compiled into the binary and parsed once
//! per process ([`Lexicon::default`]). A site can load its own files with
//! [`Lexicon::from_dir`] or combine them with the built-in data through
//! [`Lexicon::builder`]. See [`HEADER`] for the file format and the `matcher` notes on
//! [`Lexicon`] for what matches. A dropped or swapped letter (`rtas`, `cockroches`) still
//! matches an abusive single-word term, unless the real-word guard `real_words.tsv`
//! ([`REAL_WORDS_HEADER`]: one word and a note per line) lists the word.
//!
//! Content warning: the data files list real slurs, as detection data.

mod builder;
mod entry;
mod follow;
mod matcher;
mod sketch;
mod slip;
mod spellings;
mod tokens;

pub use builder::{builtin_sources, LexiconBuilder};
pub use entry::{Category, Entry, Flags, Group, HEADER};
pub use matcher::{Hit, Lexicon, WordClass};
pub use slip::{REAL_WORDS_FILE, REAL_WORDS_HEADER};
