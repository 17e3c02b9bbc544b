//! Toxic Spans (Pavlopoulos et al.): Civil Comments posts with per-rater typed spans.
//!
//! Labels per post, from the raters of `annotations.csv` and their spans in `spans.csv`:
//! - `toxic` = true for every post (all were rated toxic by at least half of the Civil
//!   Comments raters before span annotation; the set has no clean negatives);
//! - when more than half of the post's raters marked at least one span, each typed label is
//!   true if more than half marked a span of that type and false otherwise: Insult →
//!   insult, Profane/Obscene → obscene, Identity based Attack → identity_attack, Threat →
//!   threat ("Other Toxicity" maps to none of them);
//! - otherwise the typed labels stay unknown.
//!
//! Split: posts whose text is in the official SemEval-2021 files get that split (train →
//! Train, trial → Dev, test → Test; every SemEval post matches a post here exactly); the
//! others are seeded (10% test, 10% dev).

use super::read::{self, Quoting};
use super::{seeded_split, Example, Loaded, Split};
use crate::model::Label;
use crate::Result;
use std::collections::HashMap;
use std::path::Path;

const NAME: &str = "toxic_spans";

/// Span types we map, with our label.
const TYPES: [(&str, Label); 4] = [
    ("Insult", Label::Insult),
    ("Profane/Obscene", Label::Obscene),
    ("Identity based Attack", Label::IdentityAttack),
    ("Threat", Label::Threat),
];

/// Per post: raters, raters with any span, raters with a span of each mapped type.
#[derive(Default, Clone, Copy)]
struct Tally {
    raters: usize,
    any: usize,
    typed: [usize; 4],
}

pub(crate) fn load(root: &Path) -> Result<Loaded> {
    let mut out = Loaded::default();
    // Official split by text; if a text were in two files the later, stricter one wins.
    let mut official: HashMap<String, Split> = HashMap::new();
    for (file, split) in [
        ("toxic_spans/SemEval2021/tsd_train.csv", Split::Train),
        ("toxic_spans/SemEval2021/tsd_trial.csv", Split::Dev),
        ("toxic_spans/SemEval2021/tsd_test.csv", Split::Test),
    ] {
        let t = read::table(NAME, root, file, b',', Quoting::Quoted)?;
        let c = t.col("text")?;
        for row in &t.rows {
            official.insert(row.get(c).to_string(), split);
        }
    }

    let comments = read::table(
        NAME,
        root,
        "toxic_spans/comments.csv",
        b',',
        Quoting::Quoted,
    )?;
    let (c_id, c_text) = (comments.col("comment_id")?, comments.col("comment_text")?);
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    for row in &comments.rows {
        tallies.insert(row.get(c_id).trim().to_string(), Tally::default());
    }

    let anns = read::table(
        NAME,
        root,
        "toxic_spans/annotations.csv",
        b',',
        Quoting::Quoted,
    )?;
    let (a_ann, a_comment) = (anns.col("annotation")?, anns.col("comment_id")?);
    let mut ann_to_comment: HashMap<String, String> = HashMap::new();
    for row in &anns.rows {
        let cid = row.get(a_comment).trim();
        match tallies.get_mut(cid) {
            Some(t) => {
                t.raters += 1;
                ann_to_comment.insert(row.get(a_ann).trim().to_string(), cid.to_string());
            }
            None => out.drop_row("annotation of an unknown comment"),
        }
    }

    let spans = read::table(NAME, root, "toxic_spans/spans.csv", b',', Quoting::Quoted)?;
    let (s_ann, s_type) = (spans.col("annotation")?, spans.col("type")?);
    // Types seen per annotation: bit 0..4 = mapped types, bit 4 = any span.
    let mut per_ann: HashMap<&str, u8> = HashMap::new();
    for row in &spans.rows {
        let ty = row.get(s_type).trim();
        let bit = match TYPES.iter().position(|(n, _)| *n == ty) {
            Some(i) => 1u8 << i,
            None if ty == "Other Toxicity" => 0,
            None => {
                out.drop_row("malformed span type (counts as a span, no type)");
                0
            }
        };
        *per_ann.entry(row.get(s_ann).trim()).or_insert(0) |= bit | 0b1_0000;
    }
    for (ann, bits) in per_ann {
        let Some(cid) = ann_to_comment.get(ann) else {
            out.drop_row("span of an unknown annotation");
            continue;
        };
        if let Some(t) = tallies.get_mut(cid) {
            t.any += 1;
            for (i, n) in t.typed.iter_mut().enumerate() {
                if bits & (1 << i) != 0 {
                    *n += 1;
                }
            }
        }
    }

    for row in &comments.rows {
        let text = row.get(c_text);
        let split = match official.get(text) {
            Some(s) => *s,
            None => seeded_split(NAME, text, 100, 100),
        };
        let tally = tallies
            .get(row.get(c_id).trim())
            .copied()
            .unwrap_or_default();
        if tally.raters == 0 {
            out.drop_row("comment without raters");
            continue;
        }
        let mut e = Example::new(NAME, text, split);
        e.set(Label::Toxic, true);
        let mut native = Vec::new();
        if tally.any * 2 > tally.raters {
            for (i, (name, label)) in TYPES.iter().enumerate() {
                let on = tally.typed.get(i).copied().unwrap_or(0) * 2 > tally.raters;
                e.set(*label, on);
                if on {
                    native.push(*name);
                }
            }
            if native.is_empty() {
                native.push("untyped");
            }
        } else {
            native.push("no span majority");
        }
        e = e.with_native(native.join("+"));
        out.examples.push(e);
    }
    Ok(out)
}
