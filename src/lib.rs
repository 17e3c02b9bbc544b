//! # commentguard
//!
//! Reads comment threads from the places they live (WordPress WXR, Disqus, Reddit, Hacker
//! News, Commento, Remark42, Isso, Activity Streams, scraped WordPress.com pages, JSONL, CSV),
//! keeps their reply nesting, and flags dehumanising language and identity slurs, with the
//! neighbouring kinds of abuse (identity attack, insult, threat, obscenity, general toxicity),
//! using fast linear models that explain every flag with the words that caused it.
//!
//! ```
//! use commentguard::{formats, Format, ReadOptions};
//! let jsonl = r#"{"id":"1","parent":null,"text":"Great post!"}
//! {"id":"2","parent":"1","text":"Agreed."}
//! "#;
//! let threads: Vec<_> = formats::read(std::io::Cursor::new(jsonl), None, Some(Format::Jsonl),
//!     ReadOptions::default())?.collect::<Result<_, _>>()?;
//! let depths: Vec<u32> = threads[0].walk().map(|v| v.depth).collect();
//! assert_eq!(depths, [1, 2]);
//! # Ok::<(), commentguard::Error>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod error;
pub mod features;
pub mod formats;
pub mod lexicon;
pub mod model;
mod moderator;
pub mod text;
mod thread;
pub mod train;

pub use error::{Error, ErrorKind, Position, Result};
pub use formats::{detect, read_path, Format, ReadOptions, Threads};
pub use model::Label;
pub use moderator::{Action, LeftOut, LeftOutWhy, Moderator, Policy, Reason, Verdict};
pub use thread::{
    Ancestors, Comment, CommentKind, Markup, Status, Thread, ThreadBuilder, Visit, Walk,
};
