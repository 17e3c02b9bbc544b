//! Small CSV/TSV helpers shared by the adapters: whole-file tables with line numbers,
//! column lookup by name, and errors that say file, line and column.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// How a delimited file quotes its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// RFC 4180 double quotes (Python's default `QUOTE_MINIMAL`).
    Quoted,
    /// No quoting at all (Python's `QUOTE_NONE`): a `"` is an ordinary character.
    None,
}

/// One record with the 1-based line on which it starts.
pub(crate) struct Row {
    /// 1-based line of the record's first byte.
    pub line: u64,
    /// The fields.
    pub record: csv::StringRecord,
}

impl Row {
    /// Field `i`, or "" when the record is shorter (never panics).
    pub fn get(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or("")
    }
}

/// A whole delimited file, read at once (the corpora are a few MB each).
pub(crate) struct Table {
    /// The data set the file belongs to (for error messages).
    pub dataset: &'static str,
    /// The file that was read.
    pub path: PathBuf,
    /// Header names, trimmed; a leading `#` on the first one is removed.
    pub headers: Vec<String>,
    /// Data rows.
    pub rows: Vec<Row>,
}

impl Table {
    /// Index of the column named `name`, or a dataset error naming the file.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::dataset(
                self.dataset,
                format!(
                    "missing column {name:?} (columns: {})",
                    self.headers.join(", ")
                ),
            )
            .in_file(&self.path)
            .at_line(1)
        })
    }
    /// Index of the column named `name`, if present.
    pub fn opt_col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
    /// An error about `row`, column `column` (a header name).
    pub fn err(&self, row: &Row, column: &str, message: impl Into<String>) -> Error {
        let mut e = Error::dataset(
            self.dataset,
            format!("column {column:?}: {}", message.into()),
        )
        .in_file(&self.path)
        .at_line(row.line);
        if let Some(c) = self.opt_col(column) {
            // The field number (1-based) stands in for the column here.
            e.position_mut().column = Some(c as u64 + 1);
        }
        e
    }
}

/// Reads `path` as a whole. A missing file is a dataset error that says how to get it.
pub(crate) fn read_bytes(dataset: &'static str, path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::dataset(
            dataset,
            format!(
                "cannot read {}: {e} (see datasets/README.md: datasets/fetch.sh)",
                path.display()
            ),
        )
        .in_file(path)
    })
}

/// Converts a csv error into ours, keeping its line.
pub(crate) fn csv_error(dataset: &'static str, path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let mut err = Error::dataset(dataset, e.to_string()).in_file(path);
    if let Some(l) = line {
        err = err.at_line(l);
    }
    err
}

/// Parses delimited bytes into a [`Table`]. Every record must have as many fields as the
/// header (else an error with the line).
pub(crate) fn parse_table(
    dataset: &'static str,
    path: &Path,
    bytes: &[u8],
    delimiter: u8,
    quoting: Quoting,
) -> Result<Table> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting == Quoting::Quoted)
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(dataset, path, e))?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.trim();
            if i == 0 {
                h.trim_start_matches('#').to_string()
            } else {
                h.to_string()
            }
        })
        .collect();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                rows.push(Row {
                    line,
                    record: record.clone(),
                });
            }
            Ok(false) => break,
            Err(e) => return Err(csv_error(dataset, path, e)),
        }
    }
    Ok(Table {
        dataset,
        path: path.to_path_buf(),
        headers,
        rows,
    })
}

/// Reads and parses `root/rel`.
pub(crate) fn table(
    dataset: &'static str,
    root: &Path,
    rel: &str,
    delimiter: u8,
    quoting: Quoting,
) -> Result<Table> {
    let path = root.join(rel);
    let bytes = read_bytes(dataset, &path)?;
    parse_table(dataset, &path, &bytes, delimiter, quoting)
}

/// A binary label cell: `1`/`0`/`true`/`false`/`yes`/`no` (any case; `1.0`/`0.0` too);
/// empty (or `NA`/`null`) means unknown. `Err(())` for anything else.
pub(crate) fn parse_flag(s: &str) -> std::result::Result<Option<bool>, ()> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.to_ascii_lowercase().as_str() {
        "1" | "1.0" | "true" | "t" | "yes" | "y" => Ok(Some(true)),
        "0" | "0.0" | "false" | "f" | "no" | "n" => Ok(Some(false)),
        "na" | "n/a" | "null" | "none" | "nan" => Ok(None),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_none_keeps_quotes() {
        let data = b"#A\tB\n\"Women\" do x.\tABUSE\nsay \"hi\tOTHER\n";
        let t = parse_table("t", Path::new("x.tsv"), data, b'\t', Quoting::None).unwrap();
        assert_eq!(t.headers, vec!["A", "B"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].get(0), "\"Women\" do x.");
        assert_eq!(t.rows[1].get(0), "say \"hi");
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn quoted_commas_and_newlines() {
        let data = "text,toxic\n\"a, b\",1\n\"multi\nline\",0\nc,\n".as_bytes();
        let t = parse_table("t", Path::new("x.csv"), data, b',', Quoting::Quoted).unwrap();
        assert_eq!(t.rows[0].get(0), "a, b");
        assert_eq!(t.rows[1].get(0), "multi\nline");
        assert_eq!(t.rows[2].line, 5);
        assert_eq!(t.rows[2].get(1), "");
        assert_eq!(t.rows[2].get(7), "");
    }

    #[test]
    fn ragged_row_is_an_error_with_line() {
        let data = b"text,toxic\na,1\nb,1,extra\n";
        let e = parse_table("t", Path::new("x.csv"), data, b',', Quoting::Quoted)
            .err()
            .unwrap();
        assert_eq!(e.position().line, Some(3));
        assert_eq!(e.position().file.as_deref(), Some(Path::new("x.csv")));
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag("1"), Ok(Some(true)));
        assert_eq!(parse_flag(" FALSE "), Ok(Some(false)));
        assert_eq!(parse_flag(""), Ok(None));
        assert_eq!(parse_flag("0.0"), Ok(Some(false)));
        assert_eq!(parse_flag("2"), Err(()));
    }
}
