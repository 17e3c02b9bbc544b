//! Adapters for the tweet / social-post corpora: Davidson 2017, HatemojiBuild, HateXplain,
//! Latent Hatred (implicit_hate).

use super::read::{self, Quoting, Table};
use super::{seeded_split, Example, Loaded, Split};
use crate::model::Label;
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

const DAVIDSON: &str = "davidson2017";
const HATEMOJI: &str = "hatemoji_build";
const HATEXPLAIN: &str = "hatexplain";
const IMPLICIT: &str = "implicit_hate_elsherief2021";

/// Davidson et al. 2017: `class` 0 hate speech → toxic + identity_attack; 1 offensive
/// language → toxic, not identity_attack; 2 neither → every label false. Seeded split
/// 10% test / 10% dev.
pub(crate) fn davidson(root: &Path) -> Result<Loaded> {
    let t = read::table(
        DAVIDSON,
        root,
        "davidson2017/labeled_data.csv",
        b',',
        Quoting::Quoted,
    )?;
    let (c_class, c_text) = (t.col("class")?, t.col("tweet")?);
    let mut out = Loaded::default();
    for row in &t.rows {
        let text = row.get(c_text);
        let mut e = Example::new(DAVIDSON, text, seeded_split(DAVIDSON, text, 100, 100));
        match row.get(c_class).trim() {
            "0" => {
                e.set(Label::Toxic, true);
                e.set(Label::IdentityAttack, true);
                e = e.with_native("hate_speech");
            }
            "1" => {
                e.set(Label::Toxic, true);
                e.set(Label::IdentityAttack, false);
                e = e.with_native("offensive_language");
            }
            "2" => {
                e.set_all(false);
                e = e.with_native("neither");
            }
            other => {
                return Err(t.err(row, "class", format!("expected 0, 1 or 2, found {other:?}")))
            }
        }
        out.examples.push(e);
    }
    Ok(out)
}

/// HatemojiBuild, official split. Hateful (`label_gold` 1) → toxic + identity_attack, and
/// dehumanising / threat true for those types, false for the other hateful types (one type
/// per row). Not hateful → identity_attack, dehumanising and slur false; toxic and threat
/// unknown (a non-hateful row may still be abusive towards a non-protected target).
pub(crate) fn hatemoji(root: &Path) -> Result<Loaded> {
    let mut out = Loaded::default();
    for (file, split) in [
        ("hatemoji_build/train.csv", Split::Train),
        ("hatemoji_build/validation.csv", Split::Dev),
        ("hatemoji_build/test.csv", Split::Test),
    ] {
        let t = read::table(HATEMOJI, root, file, b',', Quoting::Quoted)?;
        let (c_text, c_type, c_target, c_gold) = (
            t.col("text")?,
            t.col("type")?,
            t.col("target")?,
            t.col("label_gold")?,
        );
        for row in &t.rows {
            let kind = row.get(c_type).trim();
            let mut e = Example::new(HATEMOJI, row.get(c_text), split).with_native(kind);
            let target = row.get(c_target).trim();
            if !target.is_empty() && target != "['none']" {
                e.target = Some(target.to_string());
            }
            match row.get(c_gold).trim() {
                "1" => {
                    e.set(Label::Toxic, true);
                    e.set(Label::IdentityAttack, true);
                    e.set(Label::Dehumanising, kind == "dehumanizinglanguage");
                    e.set(Label::Threat, kind == "threateninglanguage");
                }
                "0" => {
                    e.set(Label::IdentityAttack, false);
                    e.set(Label::Dehumanising, false);
                    e.set(Label::Slur, false);
                }
                other => {
                    return Err(t.err(
                        row,
                        "label_gold",
                        format!("expected 0 or 1, found {other:?}"),
                    ))
                }
            }
            out.examples.push(e);
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct HxRow {
    id: String,
    annotators: HxAnnotators,
    post_tokens: Vec<String>,
}

#[derive(Deserialize)]
struct HxAnnotators {
    label: Vec<i64>,
    #[serde(default)]
    target: Vec<Vec<String>>,
}

/// Sets the labels of a HateXplain class (0 hatespeech, 1 normal, 2 offensive, the Hugging
/// Face encoding used by both files).
fn hatexplain_labels(e: &mut Example, class: i64) -> bool {
    match class {
        0 => {
            e.set(Label::Toxic, true);
            e.set(Label::IdentityAttack, true);
            e.native = Some(super::NativeLabel::new("hatespeech"));
        }
        1 => {
            e.set_all(false);
            e.native = Some(super::NativeLabel::new("normal"));
        }
        2 => {
            e.set(Label::Toxic, true);
            e.set(Label::IdentityAttack, false);
            e.native = Some(super::NativeLabel::new("offensive"));
        }
        _ => return false,
    }
    true
}

/// Joins HateXplain tokens the way the derived train CSV did: spaces, with " ." and " ,"
/// tightened.
fn join_tokens(tokens: &[String]) -> String {
    tokens.join(" ").replace(" .", ".").replace(" ,", ",")
}

/// Targets other than "None", comma-joined; `None` when nothing is left.
fn clean_targets<'a>(targets: impl Iterator<Item = &'a str>) -> Option<String> {
    let set: BTreeSet<&str> = targets
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != "None")
        .collect();
    if set.is_empty() {
        None
    } else {
        Some(set.into_iter().collect::<Vec<_>>().join(", "))
    }
}

/// HateXplain: train = the derived CSV (majority label given), dev / test = the official
/// validation / test JSONL (majority of the 3 annotators; posts without one are dropped and
/// counted). hatespeech → toxic + identity_attack; offensive → toxic, not identity_attack;
/// normal → every label false.
pub(crate) fn hatexplain(root: &Path) -> Result<Loaded> {
    let mut out = Loaded::default();
    let t = read::table(
        HATEXPLAIN,
        root,
        "hatexplain/hatexplain_train_derived.csv",
        b',',
        Quoting::Quoted,
    )?;
    let (c_text, c_label, c_targets) =
        (t.col("text")?, t.col("majority_label")?, t.col("targets")?);
    for row in &t.rows {
        let mut e = Example::new(HATEXPLAIN, row.get(c_text), Split::Train);
        let class: i64 = row
            .get(c_label)
            .trim()
            .parse()
            .map_err(|_| t.err(row, "majority_label", "not an integer"))?;
        if !hatexplain_labels(&mut e, class) {
            return Err(t.err(row, "majority_label", format!("unknown class {class}")));
        }
        e.target = clean_targets(row.get(c_targets).split(','));
        out.examples.push(e);
    }
    for (file, split) in [
        ("hatexplain/hatexplain_validation.jsonl", Split::Dev),
        ("hatexplain/hatexplain_test.jsonl", Split::Test),
    ] {
        let path = root.join(file);
        let bytes = read::read_bytes(HATEXPLAIN, &path)?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            let (line, _) = crate::error::line_col(&bytes, e.valid_up_to());
            Error::dataset(HATEXPLAIN, "invalid UTF-8")
                .in_file(&path)
                .at_line(line)
        })?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let lineno = i as u64 + 1;
            let row: HxRow = serde_json::from_str(line).map_err(|e| {
                Error::dataset(HATEXPLAIN, format!("bad JSON: {e}"))
                    .in_file(&path)
                    .at_line(lineno)
            })?;
            let labels = &row.annotators.label;
            let majority = [0i64, 1, 2]
                .into_iter()
                .find(|c| labels.iter().filter(|l| *l == c).count() * 2 > labels.len());
            let Some(class) = majority else {
                out.drop_row("no annotator majority");
                continue;
            };
            let mut e = Example::new(HATEXPLAIN, join_tokens(&row.post_tokens), split);
            hatexplain_labels(&mut e, class);
            e.target = clean_targets(row.annotators.target.iter().flatten().map(String::as_str));
            if e.text.trim().is_empty() {
                return Err(Error::dataset(HATEXPLAIN, "empty post_tokens")
                    .in_file(&path)
                    .at_line(lineno)
                    .for_comment(row.id));
            }
            out.examples.push(e);
        }
    }
    Ok(out)
}

/// Reads an implicit_hate TSV (tab-separated, double-quote quoting).
fn implicit_table(root: &Path, file: &str) -> Result<Table> {
    read::table(
        IMPLICIT,
        root,
        &format!("implicit_hate_elsherief2021/{file}"),
        b'\t',
        Quoting::Quoted,
    )
}

/// Latent Hatred (ElSherief et al. 2021). Stage 1 class: explicit_hate / implicit_hate →
/// toxic + identity_attack; not_hate → identity_attack, dehumanising and threat false
/// (toxic unknown). Stage 2 implicit class (joined by `ID`, only on rows stage 1 calls
/// implicit_hate): inferiority → dehumanising (a noisy candidate: inferiority includes
/// dehumanisation), threatening → threat. Target from stage 3. Seeded split 10% / 10%.
pub(crate) fn implicit_hate(root: &Path) -> Result<Loaded> {
    let posts = implicit_table(root, "implicit_hate_v1_stg1_posts.tsv")?;
    let ids = implicit_table(root, "implicit_hate_v1_stg1.tsv")?;
    let stg2 = implicit_table(root, "implicit_hate_v1_stg2.tsv")?;
    let stg3 = implicit_table(root, "implicit_hate_v1_stg3.tsv")?;
    let (p_post, p_class) = (posts.col("post")?, posts.col("class")?);
    let (i_id, i_class) = (ids.col("ID")?, ids.col("class")?);
    if posts.rows.len() != ids.rows.len() {
        return Err(Error::dataset(
            IMPLICIT,
            format!(
                "stg1_posts has {} rows but stg1 has {}; the two are read side by side",
                posts.rows.len(),
                ids.rows.len()
            ),
        )
        .in_file(&ids.path));
    }
    let (s2_id, s2_class) = (stg2.col("ID")?, stg2.col("implicit_class")?);
    let implicit: HashMap<&str, &str> = stg2
        .rows
        .iter()
        .map(|r| (r.get(s2_id).trim(), r.get(s2_class).trim()))
        .collect();
    let (s3_id, s3_target) = (stg3.col("ID")?, stg3.col("target")?);
    let targets: HashMap<&str, &str> = stg3
        .rows
        .iter()
        .map(|r| (r.get(s3_id).trim(), r.get(s3_target).trim()))
        .collect();
    let mut out = Loaded::default();
    for (prow, irow) in posts.rows.iter().zip(&ids.rows) {
        let class = prow.get(p_class).trim();
        if irow.get(i_class).trim() != class {
            return Err(posts.err(prow, "class", "differs from the same row of stg1.tsv"));
        }
        let id = irow.get(i_id).trim();
        let text = prow.get(p_post);
        let mut e = Example::new(IMPLICIT, text, seeded_split(IMPLICIT, text, 100, 100));
        match class {
            "explicit_hate" => {
                e.set(Label::Toxic, true);
                e.set(Label::IdentityAttack, true);
                e = e.with_native("explicit_hate");
            }
            "implicit_hate" => {
                e.set(Label::Toxic, true);
                e.set(Label::IdentityAttack, true);
                match implicit.get(id).copied() {
                    Some(sub) if !sub.is_empty() => {
                        match sub {
                            "inferiority" => e.set(Label::Dehumanising, true),
                            "threatening" => e.set(Label::Threat, true),
                            _ => {}
                        }
                        e = e.with_native(format!("implicit_hate/{sub}"));
                    }
                    _ => {
                        out.drop_row("implicit_hate without a stage-2 class (kept, no sub-class)");
                        e = e.with_native("implicit_hate");
                    }
                }
            }
            "not_hate" => {
                e.set(Label::IdentityAttack, false);
                e.set(Label::Dehumanising, false);
                e.set(Label::Threat, false);
                e = e.with_native("not_hate");
            }
            other => return Err(posts.err(prow, "class", format!("unknown class {other:?}"))),
        }
        if class != "implicit_hate" && implicit.contains_key(id) {
            out.drop_row("stage-2 class ignored: stage 1 does not call the row implicit_hate");
        }
        if let Some(t) = targets.get(id) {
            if !t.is_empty() {
                e.target = Some(t.to_string());
            }
        }
        out.examples.push(e);
    }
    Ok(out)
}
