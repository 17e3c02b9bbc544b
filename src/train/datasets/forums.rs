//! Adapters for ConvAbuse, Stormfront (de Gibert 2018), the ToxiGen seed sentences and
//! Wiegand et al. 2022.

use super::read::{self, Quoting};
use super::{seeded_split, Example, Loaded, Split};
use crate::model::Label;
use crate::Result;
use std::collections::HashMap;
use std::path::Path;

const CONVABUSE: &str = "convabuse";
const STORMFRONT: &str = "stormfront_degibert2018";
const TOXIGEN: &str = "toxigen_seeds";
const WIEGAND: &str = "implicit_identity_abuse_wiegand2022";

/// ConvAbuse's identity-based abuse types (per annotator, 1/0/blank).
const IDENTITY_TYPES: [&str; 5] = ["ableist", "homophobic", "racist", "sexist", "transphobic"];
/// Other per-annotator flags reported in `target` when a majority sets them.
const OTHER_FLAGS: [&str; 5] = [
    "intellectual",
    "sex_harassment",
    "target.generalised",
    "target.individual",
    "target.system",
];

/// ConvAbuse, official split. Per annotator: abusive = `is_abuse` -1, -2 or -3; not = 1 or 0
/// (ambiguous). Majority abusive → toxic, and identity_attack when more than half of the
/// row's annotators marked an identity type (ableist, homophobic, racist, sexist,
/// transphobic); majority not abusive → every label false; ties dropped and counted.
/// `context` holds the previous turns, `target` the flags a majority set.
pub(crate) fn convabuse(root: &Path) -> Result<Loaded> {
    let mut out = Loaded::default();
    for (file, split) in [
        ("convabuse/ConvAbuseEMNLPtrain.csv", Split::Train),
        ("convabuse/ConvAbuseEMNLPvalid.csv", Split::Dev),
        ("convabuse/ConvAbuseEMNLPtest.csv", Split::Test),
    ] {
        let t = read::table(CONVABUSE, root, file, b',', Quoting::Quoted)?;
        let c_user = t.col("user")?;
        let ctx_cols = [
            ("agent", t.col("prev_agent")?),
            ("user", t.col("prev_user")?),
            ("agent", t.col("agent")?),
        ];
        // Per annotator: the five is_abuse columns, the identity types, the other flags.
        let mut annotators = Vec::new();
        for i in 1..=8 {
            let abuse: Vec<(i32, usize)> = [1, 0, -1, -2, -3]
                .into_iter()
                .filter_map(|v| {
                    t.opt_col(&format!("Annotator{i}_is_abuse.{v}"))
                        .map(|c| (v, c))
                })
                .collect();
            if abuse.is_empty() {
                continue;
            }
            let ident: Vec<usize> = IDENTITY_TYPES
                .iter()
                .filter_map(|n| t.opt_col(&format!("Annotator{i}_{n}")))
                .collect();
            let other: Vec<Option<usize>> = OTHER_FLAGS
                .iter()
                .map(|n| t.opt_col(&format!("Annotator{i}_{n}")))
                .collect();
            annotators.push((abuse, ident, other));
        }
        if annotators.is_empty() {
            t.col("Annotator1_is_abuse.1")?;
        }
        let on = |s: &str| matches!(read::parse_flag(s), Ok(Some(true)));
        for row in &t.rows {
            let (mut yes, mut no, mut ident_votes) = (0usize, 0usize, 0usize);
            let mut other_votes = [0usize; OTHER_FLAGS.len()];
            for (abuse, ident, other) in &annotators {
                let Some(&(v, _)) = abuse.iter().find(|(_, c)| on(row.get(*c))) else {
                    continue; // this annotator did not label the row
                };
                if v < 0 {
                    yes += 1;
                } else {
                    no += 1;
                }
                if ident.iter().any(|c| on(row.get(*c))) {
                    ident_votes += 1;
                }
                for (k, c) in other.iter().enumerate() {
                    if let (Some(c), Some(n)) = (c, other_votes.get_mut(k)) {
                        if on(row.get(*c)) {
                            *n += 1;
                        }
                    }
                }
            }
            let n = yes + no;
            if n == 0 {
                out.drop_row("no annotation");
                continue;
            }
            if yes == no {
                out.drop_row("annotator tie");
                continue;
            }
            let mut e = Example::new(CONVABUSE, row.get(c_user), split);
            if yes > no {
                e.set(Label::Toxic, true);
                e.set(Label::IdentityAttack, ident_votes * 2 > n);
                e = e.with_native("abusive");
            } else {
                e.set_all(false);
                e = e.with_native("not_abusive");
            }
            let mut flags: Vec<&str> = Vec::new();
            if ident_votes * 2 > n {
                flags.push("identity");
            }
            for (k, name) in OTHER_FLAGS.iter().enumerate() {
                if other_votes.get(k).copied().unwrap_or(0) * 2 > n {
                    flags.push(name);
                }
            }
            if !flags.is_empty() {
                e.target = Some(flags.join(", "));
            }
            let ctx: Vec<String> = ctx_cols
                .iter()
                .filter(|(_, c)| !row.get(*c).trim().is_empty())
                .map(|(who, c)| format!("{who}: {}", row.get(*c).trim()))
                .collect();
            if !ctx.is_empty() {
                e.context = Some(ctx.join("\n"));
            }
            out.examples.push(e);
        }
    }
    Ok(out)
}

/// Stormfront sentences: official `sampled_test` → Test; `sampled_train` and the rows in no
/// split are seeded into Train (85%) and Dev (15%) (every hate sentence is in the official
/// sample, so a Dev made of unsampled rows only would have no positives). hate → toxic + identity_attack; noHate →
/// identity_attack false (toxic unknown: the scheme only asks about hate); `relation` and
/// `idk/skip` dropped and counted.
pub(crate) fn stormfront(root: &Path) -> Result<Loaded> {
    let t = read::table(
        STORMFRONT,
        root,
        "stormfront_degibert2018/stormfront_sentences.csv",
        b',',
        Quoting::Quoted,
    )?;
    let (c_text, c_label, c_split) = (t.col("text")?, t.col("label")?, t.col("split")?);
    let mut out = Loaded::default();
    for row in &t.rows {
        let text = row.get(c_text);
        let split = match row.get(c_split).trim() {
            // The official sample holds every hate sentence, so Dev is carved from both the
            // sampled train rows and the unsampled ones, never from sampled_test.
            "sampled_train" | "" => seeded_split(STORMFRONT, text, 0, 150),
            "sampled_test" => Split::Test,
            other => return Err(t.err(row, "split", format!("unknown split {other:?}"))),
        };
        let mut e = Example::new(STORMFRONT, text, split);
        match row.get(c_label).trim() {
            "hate" => {
                e.set(Label::Toxic, true);
                e.set(Label::IdentityAttack, true);
                e = e.with_native("hate");
            }
            "noHate" => {
                e.set(Label::IdentityAttack, false);
                e = e.with_native("noHate");
            }
            "relation" => {
                out.drop_row("label relation");
                continue;
            }
            "idk/skip" => {
                out.drop_row("label idk/skip");
                continue;
            }
            other => return Err(t.err(row, "label", format!("unknown label {other:?}"))),
        }
        out.examples.push(e);
    }
    Ok(out)
}

/// ToxiGen seed sentences (`toxigen_prompt_sentences.csv`): one row per distinct text (the
/// same sentence seeds several groups' prompts; their groups are joined in `target`).
/// hate → toxic + identity_attack; neutral → every label false. Seeded split 20% test,
/// 10% dev, 70% train.
pub(crate) fn toxigen(root: &Path) -> Result<Loaded> {
    let t = read::table(
        TOXIGEN,
        root,
        "toxigen_seeds/toxigen_prompt_sentences.csv",
        b',',
        Quoting::Quoted,
    )?;
    let (c_label, c_group, c_text) = (t.col("label")?, t.col("target_group")?, t.col("text")?);
    let mut out = Loaded::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &t.rows {
        let text = row.get(c_text).trim();
        let label = row.get(c_label).trim();
        let group = row.get(c_group).trim();
        if label != "hate" && label != "neutral" {
            return Err(t.err(
                row,
                "label",
                format!("expected hate or neutral, found {label:?}"),
            ));
        }
        if let Some(&i) = seen.get(text) {
            out.drop_row("duplicate sentence (merged)");
            if let Some(e) = out.examples.get_mut(i) {
                if e.native.as_ref().map(|n| n.as_str()) != Some(label) {
                    return Err(t.err(row, "label", "the same sentence has both labels"));
                }
                if let Some(tg) = e.target.as_mut() {
                    if !tg.split(", ").any(|g| g == group) {
                        tg.push_str(", ");
                        tg.push_str(group);
                    }
                }
            }
            continue;
        }
        let mut e = Example::new(TOXIGEN, text, seeded_split(TOXIGEN, text, 200, 100));
        if label == "hate" {
            e.set(Label::Toxic, true);
            e.set(Label::IdentityAttack, true);
        } else {
            e.set_all(false);
        }
        e = e.with_native(label);
        e.target = Some(group.to_string());
        seen.insert(text.to_string(), out.examples.len());
        out.examples.push(e);
    }
    Ok(out)
}

/// Wiegand, Eder, Ruppenhofer 2022 (English): TAB-separated, no quoting. ABUSE → toxic +
/// identity_attack; OTHER → both false. Seeded split 10% test / 10% dev.
pub(crate) fn wiegand(root: &Path) -> Result<Loaded> {
    let t = read::table(
        WIEGAND,
        root,
        "implicit_identity_abuse_wiegand2022/sentences.english.csv",
        b'\t',
        Quoting::None,
    )?;
    parse_wiegand(&t)
}

/// The mapping of [`wiegand`], on a parsed table (unit-tested on in-memory data).
pub(crate) fn parse_wiegand(t: &read::Table) -> Result<Loaded> {
    let (c_text, c_label, c_target) = (
        t.col("SENTENCE_FROM_TWEET")?,
        t.col("LABEL")?,
        t.col("TARGET")?,
    );
    let mut out = Loaded::default();
    for row in &t.rows {
        let text = row.get(c_text);
        let mut e = Example::new(WIEGAND, text, seeded_split(WIEGAND, text, 100, 100));
        let label = row.get(c_label).trim();
        match label {
            "ABUSE" => {
                e.set(Label::Toxic, true);
                e.set(Label::IdentityAttack, true);
            }
            "OTHER" => {
                e.set(Label::Toxic, false);
                e.set(Label::IdentityAttack, false);
            }
            other => {
                return Err(t.err(
                    row,
                    "LABEL",
                    format!("expected ABUSE or OTHER, found {other:?}"),
                ))
            }
        }
        e = e.with_native(label);
        let target = row.get(c_target).trim();
        if !target.is_empty() {
            e.target = Some(target.to_string());
        }
        out.examples.push(e);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn wiegand_quote_none_and_bad_label() {
        let data = "#SENTENCE_FROM_TWEET\tLABEL\tVERB\tTARGET\n\
                    \"Women overreact to everything!\"\tABUSE\toverreact\tWomen\n\
                    Jews say \"shalom\tOTHER\tsay\tJews\n";
        let t = read::parse_table(
            WIEGAND,
            Path::new("s.csv"),
            data.as_bytes(),
            b'\t',
            Quoting::None,
        )
        .unwrap();
        let l = parse_wiegand(&t).unwrap();
        assert_eq!(l.examples.len(), 2);
        assert_eq!(l.examples[0].text, "\"Women overreact to everything!\"");
        assert_eq!(l.examples[0].label(Label::IdentityAttack), Some(true));
        assert_eq!(l.examples[0].label(Label::Dehumanising), None);
        assert_eq!(l.examples[1].text, "Jews say \"shalom");
        assert_eq!(l.examples[1].label(Label::Toxic), Some(false));
        assert_eq!(l.examples[1].target.as_deref(), Some("Jews"));

        let bad =
            "#SENTENCE_FROM_TWEET\tLABEL\tVERB\tTARGET\nx\tABUSE\tv\tWomen\ny\tMAYBE\tv\tWomen\n";
        let t = read::parse_table(
            WIEGAND,
            Path::new("s.csv"),
            bad.as_bytes(),
            b'\t',
            Quoting::None,
        )
        .unwrap();
        let e = parse_wiegand(&t).err().unwrap();
        assert_eq!(e.position().line, Some(3));
        assert_eq!(e.position().column, Some(2));
        assert!(e.to_string().contains("MAYBE"), "{e}");
    }
}
