//! Where a value of a parsed JSON document starts in its text. A parsed [`Value`] keeps no
//! positions, so errors about a value find it again: by address in the parsed document, then
//! along its path through the text.

use crate::error::{line_col, Error};
use serde_json::Value;

/// One step of a path into a JSON document: an object's key or an array's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    /// The value of this key (the last one, when the key is repeated, as serde_json keeps).
    Key(&'a str),
    /// The element at this 0-based index.
    Index(usize),
}

/// The offset of the first byte at or after `from` that is not JSON whitespace: where the
/// next top-level value of a document starts.
pub(crate) fn value_start(text: &str, from: usize) -> usize {
    skip_ws(text.as_bytes(), from)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// `e` positioned at byte `at` of `text`: line, column and byte. A position `e` already has
/// (a line or a byte) is kept.
pub(crate) fn at_offset(e: Error, text: &str, at: usize) -> Error {
    if e.position().line.is_some() || e.position().byte.is_some() {
        return e;
    }
    let at = at.min(text.len());
    let (line, col) = line_col(text.as_bytes(), at);
    let mut e = e.at_line(line).at_byte(at as u64);
    e.position_mut().column = Some(col);
    e
}

/// `e` positioned where `target` starts in `text`: `target` is a value inside `root`, the
/// document parsed from `text`. A parsed [`Value`] keeps no positions, so the value is found
/// by address in `root` and its path followed through the text (only on the error path:
/// O(size of the document), without recursion). When the path cannot be followed, the
/// position is where the document's value starts.
pub(crate) fn at_value(e: Error, text: &str, root: &Value, target: &Value) -> Error {
    let at = path_to(root, target)
        .and_then(|p| offset_of(text, &p))
        .unwrap_or_else(|| value_start(text, 0));
    at_offset(e, text, at)
}

/// The path from `root` to `target` (compared by address), found without recursion.
fn path_to<'a>(root: &'a Value, target: &Value) -> Option<Vec<Step<'a>>> {
    // (value, its depth, the step that leads to it)
    let mut stack: Vec<(&Value, usize, Option<Step<'a>>)> = vec![(root, 0, None)];
    let mut path: Vec<Step<'a>> = Vec::new();
    while let Some((v, depth, step)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        path.extend(step);
        if std::ptr::eq(v, target) {
            return Some(path);
        }
        match v {
            Value::Array(a) => stack.extend(
                a.iter()
                    .enumerate()
                    .rev()
                    .map(|(i, x)| (x, depth + 1, Some(Step::Index(i)))),
            ),
            Value::Object(o) => stack.extend(
                o.iter()
                    .map(|(k, x)| (x, depth + 1, Some(Step::Key(k.as_str())))),
            ),
            _ => {}
        }
    }
    None
}

/// Where the value at `path` starts in the JSON document `text` (the document's own value
/// for an empty path); `None` when the text has no such value. One pass over the text,
/// without recursion; a repeated key leads to its last value, as in serde_json's maps.
fn offset_of(text: &str, path: &[Step<'_>]) -> Option<usize> {
    let b = text.as_bytes();
    // The open arrays and objects: (is an object, index of the current element).
    let mut open: Vec<(bool, usize)> = Vec::new();
    // How many leading steps of `path` the current position follows.
    let mut matched = 0usize;
    let mut found = None;
    let mut i = 0;
    loop {
        // A value starts here.
        i = skip_ws(b, i);
        if open.len() == path.len() && matched == path.len() {
            found = Some(i);
        }
        match *b.get(i)? {
            c @ (b'{' | b'[') => {
                let object = c == b'{';
                i = skip_ws(b, i + 1);
                if b.get(i) == Some(if object { &b'}' } else { &b']' }) {
                    i += 1; // empty
                } else {
                    open.push((object, 0));
                    i = enter(text, i, object, 0, open.len(), path, &mut matched)?;
                    continue;
                }
            }
            b'"' => i = string_end(b, i)?,
            _ => {
                i += b[i..]
                    .iter()
                    .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(b.len() - i);
            }
        }
        // A value ended: close arrays and objects, or go to the next element.
        loop {
            let Some(&(object, n)) = open.last() else {
                return found;
            };
            i = skip_ws(b, i);
            match *b.get(i)? {
                b',' => {
                    i += 1;
                    if let Some(top) = open.last_mut() {
                        top.1 = n + 1;
                    }
                    i = enter(text, i, object, n + 1, open.len(), path, &mut matched)?;
                    break;
                }
                b'}' if object => {}
                b']' if !object => {}
                _ => return None,
            }
            i += 1;
            open.pop();
            matched = matched.min(open.len());
        }
    }
}

/// Steps into element `n` of the object or array at depth `depth` (1-based): reads the key
/// of an object's member and updates `matched`. Returns where the element's value starts.
fn enter(
    text: &str,
    mut i: usize,
    object: bool,
    n: usize,
    depth: usize,
    path: &[Step<'_>],
    matched: &mut usize,
) -> Option<usize> {
    let b = text.as_bytes();
    let want = path.get(depth - 1);
    let same = if object {
        let start = skip_ws(b, i);
        let end = string_end(b, start)?;
        let colon = skip_ws(b, end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        i = colon + 1;
        match want {
            Some(Step::Key(want)) if *matched + 1 >= depth => {
                let key = &text[start..end];
                if key.contains('\\') {
                    serde_json::from_str::<String>(key).ok()? == *want
                } else {
                    key[1..key.len() - 1] == **want
                }
            }
            _ => false,
        }
    } else {
        want == Some(&Step::Index(n))
    };
    if *matched + 1 >= depth {
        *matched = depth - 1 + usize::from(same);
    }
    Some(i)
}

/// The offset just past the string starting with the quote at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match *b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset(text: &str, path: &[Step<'_>]) -> Option<usize> {
        offset_of(text, path)
    }

    #[test]
    fn offset_of_follows_keys_and_indexes() {
        let t = r#" {"a": [1, {"b" : "x,]}"}, [ ]], "c\"d": {"e": null}, "a2": true}"#;
        assert_eq!(offset(t, &[]), Some(1));
        assert_eq!(offset(t, &[Step::Key("a")]), Some(7));
        assert_eq!(offset(t, &[Step::Key("a"), Step::Index(0)]), Some(8));
        assert_eq!(offset(t, &[Step::Key("a"), Step::Index(1)]), Some(11));
        let b = offset(t, &[Step::Key("a"), Step::Index(1), Step::Key("b")]).unwrap();
        assert_eq!(&t[b..b + 3], "\"x,");
        let e = offset(t, &[Step::Key("a"), Step::Index(2)]).unwrap();
        assert_eq!(&t[e..e + 3], "[ ]");
        let cd = offset(t, &[Step::Key("c\"d"), Step::Key("e")]).unwrap();
        assert_eq!(&t[cd..cd + 4], "null");
        assert_eq!(offset(t, &[Step::Key("a"), Step::Index(3)]), None);
        assert_eq!(offset(t, &[Step::Key("zz")]), None);
        assert_eq!(offset(t, &[Step::Index(0)]), None);
    }

    #[test]
    fn offset_of_takes_the_last_of_repeated_keys() {
        let t = r#"{"k": {"x": 1}, "k": {"x": 2}}"#;
        let v: Value = serde_json::from_str(t).unwrap();
        let x = &v["k"]["x"];
        let p = path_to(&v, x).unwrap();
        assert_eq!(p, vec![Step::Key("k"), Step::Key("x")]);
        let at = offset(t, &p).unwrap();
        assert_eq!(&t[at..at + 1], "2");
    }

    #[test]
    fn at_value_gives_line_column_and_byte() {
        let t = "[\n  {\"id\": 1},\n  7\n]";
        let v: Value = serde_json::from_str(t).unwrap();
        let e = at_value(Error::syntax("x", "bad"), t, &v, &v[1]);
        let p = e.position();
        assert_eq!((p.line, p.column, p.byte), (Some(3), Some(3), Some(17)));
        // a value that is not in the document: its start
        let other = Value::Null;
        let e = at_value(Error::syntax("x", "bad"), t, &v, &other);
        assert_eq!((e.position().line, e.position().byte), (Some(1), Some(0)));
        // an error that has a position keeps it
        let e = at_value(Error::syntax("x", "bad").at_byte(5), t, &v, &v[1]);
        assert_eq!((e.position().line, e.position().byte), (None, Some(5)));
    }

    #[test]
    fn offset_of_is_not_recursive() {
        let depth = 200_000;
        let t = format!("{}7{}", "[".repeat(depth), "]".repeat(depth));
        let path = vec![Step::Index(0); depth];
        assert_eq!(offset(&t, &path), Some(depth));
    }
}
