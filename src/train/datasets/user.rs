//! A site's own labelled history: CSV, TSV or JSONL with a `text` column and label columns
//! named like our labels.

use super::read::{self, Quoting};
use super::{seeded_split, Example, Split};
use crate::model::Label;
use crate::{Error, Result};
use std::path::Path;

/// The [`Example::dataset`] name of rows read by [`load_user_file`].
pub const USER_DATASET: &str = "user";

/// Reads a user's labelled file.
///
/// - Format by extension: `.jsonl` / `.ndjson` / `.json` = one JSON object per line, `.tsv`
///   = tab-separated, anything else = CSV (RFC 4180 quoting; a UTF-8 BOM is skipped).
/// - `text` (required); one column per label, named like [`Label::name`] (case-blind,
///   `dehumanizing` accepted), at least one; values `1`/`0`/`true`/`false`/`yes`/`no`
///   (JSON: also booleans and numbers), empty or `null` = unknown.
/// - Optional `split` (`train`, `dev`/`valid`/`validation`, `test`; empty = seeded),
///   `target`, `context`, `native` (the site's own class). Other columns are ignored.
/// - Rows without a split are split 80/10/10 by [`seeded_split`].
///
/// Errors name the file, the line and (for CSV) the field number of the bad cell.
pub fn load_user_file(path: &Path) -> Result<Vec<Example>> {
    let bytes = read::read_bytes(USER_DATASET, path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" | "json" => parse_jsonl(path, &bytes),
        "tsv" => parse_delimited(path, &bytes, b'\t'),
        _ => parse_delimited(path, &bytes, b','),
    }
}

fn parse_split(s: &str) -> std::result::Result<Option<Split>, ()> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "train" => Ok(Some(Split::Train)),
        "dev" | "valid" | "validation" | "val" => Ok(Some(Split::Dev)),
        "test" => Ok(Some(Split::Test)),
        _ => Err(()),
    }
}

fn no_labels(path: &Path) -> Error {
    Error::dataset(
        USER_DATASET,
        format!(
            "no label column; name at least one column like a label: {}",
            Label::ALL.map(|l| l.name()).join(", ")
        ),
    )
    .in_file(path)
    .at_line(1)
}

pub(crate) fn parse_delimited(path: &Path, bytes: &[u8], delimiter: u8) -> Result<Vec<Example>> {
    let t = read::parse_table(USER_DATASET, path, bytes, delimiter, Quoting::Quoted)?;
    let c_text = t
        .headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("text"))
        .ok_or_else(|| {
            Error::dataset(USER_DATASET, "missing column \"text\"")
                .in_file(path)
                .at_line(1)
        })?;
    let labels: Vec<(usize, Label)> = t
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.parse::<Label>().ok().map(|l| (i, l)))
        .collect();
    if labels.is_empty() {
        return Err(no_labels(path));
    }
    let find = |n: &str| t.headers.iter().position(|h| h.eq_ignore_ascii_case(n));
    let (c_split, c_target, c_context, c_native) = (
        find("split"),
        find("target"),
        find("context"),
        find("native"),
    );
    let header = |i: usize| t.headers.get(i).map(String::as_str).unwrap_or("");
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let text = row.get(c_text);
        if text.trim().is_empty() {
            return Err(t.err(row, header(c_text), "empty text"));
        }
        let split = match c_split.map(|c| parse_split(row.get(c))) {
            None | Some(Ok(None)) => seeded_split(USER_DATASET, text, 100, 100),
            Some(Ok(Some(s))) => s,
            Some(Err(())) => {
                return Err(t.err(
                    row,
                    header(c_split.unwrap_or(0)),
                    "expected train, dev or test",
                ))
            }
        };
        let mut e = Example::new(USER_DATASET, text, split);
        for &(c, label) in &labels {
            match read::parse_flag(row.get(c)) {
                Ok(Some(v)) => e.set(label, v),
                Ok(None) => {}
                Err(()) => {
                    return Err(t.err(
                        row,
                        header(c),
                        format!(
                            "expected 0, 1, true, false or empty, found {:?}",
                            row.get(c)
                        ),
                    ))
                }
            }
        }
        let opt = |c: Option<usize>| {
            c.map(|c| row.get(c).trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        e.target = opt(c_target);
        e.context = opt(c_context);
        e.native = opt(c_native).map(super::NativeLabel::new);
        out.push(e);
    }
    Ok(out)
}

fn json_flag(v: &serde_json::Value) -> std::result::Result<Option<bool>, ()> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Bool(b) => Ok(Some(*b)),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(1.0) => Ok(Some(true)),
            Some(0.0) => Ok(Some(false)),
            _ => Err(()),
        },
        serde_json::Value::String(s) => read::parse_flag(s),
        _ => Err(()),
    }
}

pub(crate) fn parse_jsonl(path: &Path, bytes: &[u8]) -> Result<Vec<Example>> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, _) = crate::error::line_col(bytes, e.valid_up_to());
        Error::dataset(USER_DATASET, "invalid UTF-8")
            .in_file(path)
            .at_line(line)
    })?;
    let mut out = Vec::new();
    let mut any_label = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let lineno = i as u64 + 1;
        let err = |m: String| {
            Error::dataset(USER_DATASET, m)
                .in_file(path)
                .at_line(lineno)
        };
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| err(format!("bad JSON: {e}")))?;
        let Some(obj) = v.as_object() else {
            return Err(err("expected a JSON object".into()));
        };
        let Some(text) = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("text"))
            .and_then(|(_, v)| v.as_str())
            .filter(|s| !s.trim().is_empty())
        else {
            return Err(err("field \"text\": missing, empty or not a string".into()));
        };
        let get_str = |name: &str| {
            obj.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let split = match get_str("split").map(|s| parse_split(&s)) {
            None | Some(Ok(None)) => seeded_split(USER_DATASET, text, 100, 100),
            Some(Ok(Some(s))) => s,
            Some(Err(())) => {
                return Err(err("field \"split\": expected train, dev or test".into()))
            }
        };
        let mut e = Example::new(USER_DATASET, text, split);
        for (k, v) in obj {
            let Ok(label) = k.parse::<Label>() else {
                continue;
            };
            any_label = true;
            match json_flag(v) {
                Ok(Some(b)) => e.set(label, b),
                Ok(None) => {}
                Err(()) => {
                    return Err(err(format!(
                        "field {k:?}: expected 0, 1, true, false or null, found {v}"
                    )))
                }
            }
        }
        e.target = get_str("target");
        e.context = get_str("context");
        e.native = get_str("native").map(super::NativeLabel::new);
        out.push(e);
    }
    if !any_label && !out.is_empty() {
        return Err(no_labels(path));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quoted_commas_and_empty_labels() {
        let data = "id,text,toxic,Insult,dehumanizing,split,target\n\
                    1,\"you, and your kind\",1,,0,test,women\n\
                    2,hello there,false,FALSE,,,\n";
        let rows = parse_delimited(Path::new("mine.csv"), data.as_bytes(), b',').unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text, "you, and your kind");
        assert_eq!(rows[0].split, Split::Test);
        assert_eq!(rows[0].label(Label::Toxic), Some(true));
        assert_eq!(rows[0].label(Label::Insult), None);
        assert_eq!(rows[0].label(Label::Dehumanising), Some(false));
        assert_eq!(rows[0].label(Label::Threat), None);
        assert_eq!(rows[0].target.as_deref(), Some("women"));
        assert_eq!(rows[1].label(Label::Insult), Some(false));
        assert_eq!(
            rows[1].split,
            seeded_split(USER_DATASET, "hello there", 100, 100)
        );
        assert_eq!(rows[1].target, None);
    }

    #[test]
    fn bad_cell_names_file_line_and_field() {
        let data = "text,toxic,threat\n\"a\nb\",1,0\nc,1,maybe\n";
        let e = parse_delimited(Path::new("mine.csv"), data.as_bytes(), b',')
            .err()
            .unwrap();
        assert_eq!(e.position().line, Some(4));
        assert_eq!(e.position().column, Some(3));
        assert_eq!(e.position().file.as_deref(), Some(Path::new("mine.csv")));
        let s = e.to_string();
        assert!(s.contains("threat") && s.contains("maybe"), "{s}");
    }

    #[test]
    fn missing_columns() {
        let e = parse_delimited(Path::new("m.csv"), b"body,toxic\nx,1\n", b',')
            .err()
            .unwrap();
        assert!(e.to_string().contains("\"text\""), "{e}");
        let e = parse_delimited(Path::new("m.csv"), b"text,spam\nx,1\n", b',')
            .err()
            .unwrap();
        assert!(e.to_string().contains("no label column"), "{e}");
    }

    #[test]
    fn jsonl() {
        let data = "{\"text\":\"a\",\"toxic\":true,\"slur\":null,\"threat\":0}\n\n\
                    {\"text\":\"b\",\"insult\":\"1\",\"split\":\"dev\"}\n\
                    {\"text\":\"c\",\"insult\":7}\n";
        let e = parse_jsonl(Path::new("m.jsonl"), data.as_bytes())
            .err()
            .unwrap();
        assert_eq!(e.position().line, Some(4));
        let ok = data.lines().take(3).collect::<Vec<_>>().join("\n");
        let rows = parse_jsonl(Path::new("m.jsonl"), ok.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].label(Label::Toxic), Some(true));
        assert_eq!(rows[0].label(Label::Slur), None);
        assert_eq!(rows[0].label(Label::Threat), Some(false));
        assert_eq!(rows[1].label(Label::Insult), Some(true));
        assert_eq!(rows[1].split, Split::Dev);
    }
}
