//! `commentguard_own`: sentences we wrote ourselves (`datasets/own/`), compiled into the
//! library so that every training run — including a user's retrain — can use them.
//!
//! The public corpora rarely show the behaviours the product promises: negated abuse
//! ("X aren't vermin"), counter-speech that names a slur to condemn it, reported use, neutral
//! and positive identity mentions, pests in a kitchen vs people called pests, reclaimed and
//! homonym uses of slur words, spelling variants. `templates.tsv` states each behaviour as a
//! few sentence shapes with slots; `slots.tsv` lists the words for the slots. Generation is
//! deterministic (hashes seeded with [`SPLIT_SEED`](super::SPLIT_SEED)); a whole template goes to one split, so
//! dev and test figures are on sentence shapes the fit never saw.

use super::{seeded_split, Example, Loaded, NativeLabel};
use crate::model::Label;
use crate::{Error, Result};
use std::collections::{BTreeMap, HashSet};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The data set's name.
pub const NAME: &str = "commentguard_own";
/// The template file, as compiled in.
pub const TEMPLATES: &str = include_str!("../../../datasets/own/templates.tsv");
/// The slot word lists, as compiled in.
pub const SLOTS: &str = include_str!("../../../datasets/own/slots.tsv");

/// Sentences generated per template (fewer when the slots allow fewer distinct ones).
const PER_TEMPLATE: u64 = 24;
/// Slots whose words are sometimes obfuscated (one sentence in `OBFUSCATE_ONE_IN`).
const OBFUSCATED_SLOTS: &[&str] = &["slur", "slurone", "vermin", "plague", "exterm"];
const OBFUSCATE_ONE_IN: u64 = 4;

/// Generates the set from the compiled-in files.
pub fn load() -> Result<Loaded> {
    generate(TEMPLATES, SLOTS)
}

/// Generates the set from template and slot text (see `datasets/own/templates.tsv`).
pub fn generate(templates: &str, slots: &str) -> Result<Loaded> {
    let slots = parse_slots(slots)?;
    let mut loaded = Loaded::default();
    for (n, line) in templates.lines().enumerate() {
        let line_no = n + 1;
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("behaviour\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 3 {
            return Err(bad(
                line_no,
                format!("want 3 tab-separated columns, got {}", cols.len()),
            ));
        }
        let (behaviour, spec, template) = (cols[0], cols[1], cols[2]);
        let labels = parse_labels(spec).map_err(|m| bad(line_no, m))?;
        let parts = parse_template(template, &slots).map_err(|m| bad(line_no, m))?;
        let split = seeded_split(NAME, template, 150, 150);
        let mut seen = HashSet::new();
        for k in 0..PER_TEMPLATE {
            let text = fill(template, &parts, &slots, k);
            if !seen.insert(text.clone()) {
                continue;
            }
            let mut e = Example::new(NAME, text, split);
            e.labels = labels;
            e.native = Some(NativeLabel::new(behaviour));
            loaded.examples.push(e);
        }
    }
    Ok(loaded)
}

fn bad(line: usize, msg: impl Into<String>) -> Error {
    Error::dataset(
        NAME,
        format!("datasets/own/templates.tsv line {line}: {}", msg.into()),
    )
}

fn parse_slots(text: &str) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("slot\t") {
            continue;
        }
        let Some((slot, word)) = line.split_once('\t') else {
            return Err(Error::dataset(
                NAME,
                format!("datasets/own/slots.tsv line {}: want slot<TAB>word", n + 1),
            ));
        };
        out.entry(slot.to_string())
            .or_default()
            .push(word.to_string());
    }
    Ok(out)
}

/// `t,?i,a` → labels; `-` → all false.
fn parse_labels(spec: &str) -> std::result::Result<[Option<bool>; Label::COUNT], String> {
    let mut labels = [Some(false); Label::COUNT];
    if spec.trim() == "-" {
        return Ok(labels);
    }
    for code in spec.split(',') {
        let code = code.trim();
        let (unknown, c) = match code.strip_prefix('?') {
            Some(c) => (true, c),
            None => (false, code),
        };
        let label = match c {
            "t" => Label::Toxic,
            "i" => Label::Insult,
            "h" => Label::Threat,
            "o" => Label::Obscene,
            "a" => Label::IdentityAttack,
            "d" => Label::Dehumanising,
            "s" => Label::Slur,
            _ => {
                return Err(format!(
                    "unknown label code {code:?} (t i h o a d s, ?x, -)"
                ))
            }
        };
        labels[label.index()] = if unknown { None } else { Some(true) };
    }
    Ok(labels)
}

/// One `{slot}` of a template: its byte range, slot name, and whether to capitalise.
struct Part {
    range: std::ops::Range<usize>,
    slot: String,
    capital: bool,
}

fn parse_template(
    t: &str,
    slots: &BTreeMap<String, Vec<String>>,
) -> std::result::Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut at = 0;
    while let Some(open) = t[at..].find('{').map(|i| i + at) {
        let close = t[open..]
            .find('}')
            .map(|i| i + open)
            .ok_or_else(|| format!("unclosed '{{' at byte {open}"))?;
        let name = &t[open + 1..close];
        let capital = name.chars().next().is_some_and(|c| c.is_uppercase());
        let slot = name.to_lowercase();
        if !slots.contains_key(&slot) {
            return Err(format!("unknown slot {{{name}}}"));
        }
        parts.push(Part {
            range: open..close + 1,
            slot,
            capital,
        });
        at = close + 1;
    }
    Ok(parts)
}

fn fill(t: &str, parts: &[Part], slots: &BTreeMap<String, Vec<String>>, k: u64) -> String {
    let mut out = String::with_capacity(t.len() + 32);
    let mut at = 0;
    for (j, p) in parts.iter().enumerate() {
        out.push_str(&t[at..p.range.start]);
        let words = &slots[&p.slot];
        let h = hash(t, k, j as u64);
        let mut w = words[(h % words.len() as u64) as usize].clone();
        if OBFUSCATED_SLOTS.contains(&p.slot.as_str()) && (h >> 20) % OBFUSCATE_ONE_IN == 0 {
            w = obfuscate(&w, h >> 24);
        }
        if p.capital {
            w = capitalise(&w);
        }
        out.push_str(&w);
        at = p.range.end;
    }
    out.push_str(&t[at..]);
    out
}

fn hash(t: &str, k: u64, j: u64) -> u64 {
    let mut b = Vec::with_capacity(t.len() + 16);
    b.extend_from_slice(t.as_bytes());
    b.extend_from_slice(&k.to_le_bytes());
    b.extend_from_slice(&j.to_le_bytes());
    xxh3_64_with_seed(&b, super::SPLIT_SEED)
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Misspells the last word of `phrase` the ways abusers do: leetspeak, stretched, dropped or
/// swapped letters, spaced or dotted letters, a star for a vowel. `h` picks the way and place.
pub fn obfuscate(phrase: &str, h: u64) -> String {
    let (head, word) = match phrase.rfind(' ') {
        Some(i) => (&phrase[..=i], &phrase[i + 1..]),
        None => ("", phrase),
    };
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let vowels: Vec<usize> = (0..n).filter(|&i| "aeiou".contains(chars[i])).collect();
    let pick = |v: &[usize]| v.get((h >> 8) as usize % v.len().max(1)).copied();
    let changed: String = match h % 7 {
        0 => chars
            .iter()
            .map(|&c| match c {
                'a' => '@',
                'e' => '3',
                'i' => '1',
                'o' => '0',
                's' => '$',
                c => c,
            })
            .collect(),
        1 => match vowels.last() {
            Some(&v) => {
                let mut s: String = chars[..=v].iter().collect();
                s.extend(std::iter::repeat_n(chars[v], 3));
                s.extend(&chars[v + 1..]);
                s
            }
            None => word.to_string() + &word[word.len() - 1..].repeat(3),
        },
        2 if n >= 5 => {
            let i = 1 + (h >> 8) as usize % (n - 2);
            chars
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != i)
                .map(|(_, c)| c)
                .collect()
        }
        3 if n >= 4 => {
            let i = 1 + (h >> 8) as usize % (n - 3);
            let mut c = chars.clone();
            c.swap(i, i + 1);
            c.into_iter().collect()
        }
        4 => chars
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        5 => chars
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("."),
        _ => match pick(&vowels) {
            Some(v) if v > 0 => {
                let mut c = chars.clone();
                c[v] = '*';
                c.into_iter().collect()
            }
            _ => {
                let mut c = chars.clone();
                match n {
                    0..=2 => c.push('*'),
                    _ => c[n / 2] = '*',
                }
                c.into_iter().collect()
            }
        },
    };
    format!("{head}{changed}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_labelled_rows_in_all_splits() {
        let l = load().unwrap();
        assert!(l.examples.len() > 2000, "{}", l.examples.len());
        for s in super::super::Split::ALL {
            assert!(l.examples.iter().any(|e| e.split == s), "no {s} rows");
        }
        let neg = l
            .examples
            .iter()
            .find(|e| e.native.as_ref().unwrap().as_str() == "negated")
            .unwrap();
        assert_eq!(neg.labels, [Some(false); Label::COUNT]);
        let obj = l
            .examples
            .iter()
            .find(|e| e.native.as_ref().unwrap().as_str() == "object")
            .unwrap();
        assert_eq!(obj.label(Label::Toxic), None);
        assert_eq!(obj.label(Label::IdentityAttack), Some(false));
        // No slot left unfilled.
        assert!(l.examples.iter().all(|e| !e.text.contains('{')));
    }

    #[test]
    fn generation_is_deterministic() {
        let a = load().unwrap().examples;
        let b = load().unwrap().examples;
        assert_eq!(a, b);
    }

    #[test]
    fn obfuscations_differ_from_the_word() {
        for h in 0..7u64 {
            let o = obfuscate("a plague", h | (3 << 8));
            assert!(o.starts_with("a "), "{o}");
            assert_ne!(o, "a plague", "way {h}");
        }
    }

    #[test]
    fn bad_templates_are_errors_with_the_line() {
        let e = generate("x\tq\tHello {group}", "slot\tword\ngroup\tcats\n").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        let e = generate("x\t-\tHello {nope}", "group\tcats\n").unwrap_err();
        assert!(e.to_string().contains("unknown slot"), "{e}");
        let e = generate("x\t-\tHello {group", "group\tcats\n").unwrap_err();
        assert!(e.to_string().contains("unclosed"), "{e}");
    }
}
