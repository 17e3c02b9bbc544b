//! The one error type of the library: a kind callers can match on, plus where it happened.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the input an error happened. Every field is optional: readers fill what they know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// The file being read, when the input is a file.
    pub file: Option<PathBuf>,
    /// 1-based line number.
    pub line: Option<u64>,
    /// 1-based column (in characters) on that line.
    pub column: Option<u64>,
    /// 0-based byte offset from the start of the input.
    pub byte: Option<u64>,
    /// The thread the comment belongs to, when known.
    pub thread_id: Option<String>,
    /// The comment being read, when known.
    pub comment_id: Option<String>,
}

impl Position {
    /// An empty position.
    pub fn new() -> Position {
        Position::default()
    }
    /// Sets the file.
    pub fn with_file(mut self, file: impl AsRef<Path>) -> Position {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }
    /// Sets the 1-based line.
    pub fn with_line(mut self, line: u64) -> Position {
        self.line = Some(line);
        self
    }
    /// Sets the 0-based byte offset.
    pub fn with_byte(mut self, byte: u64) -> Position {
        self.byte = Some(byte);
        self
    }
    /// Sets the comment id.
    pub fn with_comment(mut self, id: impl Into<String>) -> Position {
        self.comment_id = Some(id.into());
        self
    }
    /// Sets the thread id.
    pub fn with_thread(mut self, id: impl Into<String>) -> Position {
        self.thread_id = Some(id.into());
        self
    }
    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Position::default()
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.display().to_string());
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) => parts.push(format!("line {l}, column {c}")),
            (Some(l), None) => parts.push(format!("line {l}")),
            _ => {}
        }
        if let Some(b) = self.byte {
            parts.push(format!("byte {b}"));
        }
        if let Some(t) = &self.thread_id {
            parts.push(format!("thread {t:?}"));
        }
        if let Some(c) = &self.comment_id {
            parts.push(format!("comment {c:?}"));
        }
        write!(f, "{}", parts.join(", "))
    }
}

/// What went wrong. New kinds may be added, so match with a wildcard arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing failed.
    Io(std::io::Error),
    /// The input is not valid for its format (bad XML, bad JSON, a missing field, ...).
    Syntax {
        /// The format being read (`wxr`, `disqus`, `jsonl`, ...).
        format: &'static str,
        /// What was wrong, in words.
        message: String,
    },
    /// The bytes are not valid UTF-8.
    InvalidUtf8,
    /// The format of the input could not be recognised.
    UnknownFormat {
        /// The format names this build can read.
        known: Vec<&'static str>,
    },
    /// A size or count limit was exceeded (see `ReadOptions`).
    LimitExceeded {
        /// What was limited.
        what: &'static str,
        /// The limit in force.
        limit: u64,
    },
    /// A model bundle could not be used: corrupt, truncated, or of another version.
    Model {
        /// What was wrong, in words.
        message: String,
    },
    /// A labelled data set could not be read or mapped to labels.
    Dataset {
        /// The data set's name.
        dataset: String,
        /// What was wrong, in words.
        message: String,
    },
    /// A parameter was out of range; checked once, before any work.
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is invalid.
        message: String,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Io(e) => write!(f, "I/O error: {e}"),
            ErrorKind::Syntax { format, message } => write!(f, "invalid {format} input: {message}"),
            ErrorKind::InvalidUtf8 => write!(f, "input is not valid UTF-8"),
            ErrorKind::UnknownFormat { known } => write!(
                f,
                "could not recognise the input format; give one with --format, one of: {}",
                known.join(", ")
            ),
            ErrorKind::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            ErrorKind::Model { message } => write!(f, "model: {message}"),
            ErrorKind::Dataset { dataset, message } => write!(f, "dataset {dataset}: {message}"),
            ErrorKind::InvalidParameter { name, message } => {
                write!(f, "invalid parameter {name}: {message}")
            }
        }
    }
}

/// The library's error: an [`ErrorKind`] and the [`Position`] where it happened.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    position: Position,
}

impl Error {
    /// An error of this kind with no position.
    pub fn new(kind: ErrorKind) -> Error {
        Error(Box::new(Inner {
            kind,
            position: Position::default(),
        }))
    }
    /// A syntax error in `format` with a message.
    pub fn syntax(format: &'static str, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax {
            format,
            message: message.into(),
        })
    }
    /// A model error with a message.
    pub fn model(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Model {
            message: message.into(),
        })
    }
    /// A dataset error.
    pub fn dataset(dataset: impl Into<String>, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Dataset {
            dataset: dataset.into(),
            message: message.into(),
        })
    }
    /// An invalid parameter.
    pub fn param(name: &'static str, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidParameter {
            name,
            message: message.into(),
        })
    }
    /// A limit exceeded.
    pub fn limit(what: &'static str, limit: u64) -> Error {
        Error::new(ErrorKind::LimitExceeded { what, limit })
    }
    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }
    /// Where it happened.
    pub fn position(&self) -> &Position {
        &self.0.position
    }
    /// Mutable access to the position, for callers that add context.
    pub fn position_mut(&mut self) -> &mut Position {
        &mut self.0.position
    }
    /// Replaces the position.
    pub fn at(mut self, position: Position) -> Error {
        self.0.position = position;
        self
    }
    /// Sets the file unless one is set already.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Error {
        if self.0.position.file.is_none() {
            self.0.position.file = Some(file.as_ref().to_path_buf());
        }
        self
    }
    /// Sets the line unless one is set already.
    pub fn at_line(mut self, line: u64) -> Error {
        if self.0.position.line.is_none() {
            self.0.position.line = Some(line);
        }
        self
    }
    /// Sets the byte offset unless one is set already.
    pub fn at_byte(mut self, byte: u64) -> Error {
        if self.0.position.byte.is_none() {
            self.0.position.byte = Some(byte);
        }
        self
    }
    /// Sets the comment id unless one is set already.
    pub fn for_comment(mut self, id: impl Into<String>) -> Error {
        if self.0.position.comment_id.is_none() {
            self.0.position.comment_id = Some(id.into());
        }
        self
    }
    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("position", &self.0.position)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.position.is_empty() {
            write!(f, "{}", self.0.kind)
        } else {
            write!(f, "{}: {}", self.0.position, self.0.kind)
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::InvalidData {
            // std reports invalid UTF-8 from read_line / read_to_string this way.
            if e.get_ref()
                .map(|r| r.is::<std::str::Utf8Error>())
                .unwrap_or(false)
                || e.to_string().contains("UTF-8")
            {
                return Error::new(ErrorKind::InvalidUtf8);
            }
        }
        Error::new(ErrorKind::Io(e))
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// 1-based line and column of `byte` in `text` (column counted in characters).
pub fn line_col(text: &[u8], byte: usize) -> (u64, u64) {
    let byte = byte.min(text.len());
    let before = &text[..byte];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map(|i| i + 1).unwrap_or(0);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_position() {
        let e = Error::syntax("wxr", "unexpected end").at(Position::new()
            .with_file("a.xml")
            .with_line(3)
            .with_comment("7"));
        let s = e.to_string();
        assert!(s.contains("a.xml"), "{s}");
        assert!(s.contains("line 3"), "{s}");
        assert!(s.contains("comment \"7\""), "{s}");
        assert!(matches!(e.kind(), ErrorKind::Syntax { format: "wxr", .. }));
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\ncé d".as_bytes();
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 6), (2, 3)); // after "cé"
    }
}
