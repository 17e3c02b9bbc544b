//! Conversation AI unintended-bias sets (Dixon et al. 2018). Evaluation only: every row is
//! [`Split::Test`], and `target` records the identity term(s) the row contains.

use super::read::{self, Quoting};
use super::{Example, Loaded, Split};
use crate::model::Label;
use crate::Result;
use std::path::Path;

const TEMPLATES: &str = "conversationai_bias_templates";
const WIKI: &str = "conversationai_bias_wiki";

/// The 50 identity terms of the template generator (the set of terms in
/// `en_sentence_templates.csv`'s `verb_adj` rows), lower case.
pub(crate) const IDENTITY_TERMS: [&str; 50] = [
    "african",
    "african american",
    "american",
    "asian",
    "bisexual",
    "black",
    "blind",
    "buddhist",
    "canadian",
    "catholic",
    "chinese",
    "christian",
    "deaf",
    "elderly",
    "european",
    "female",
    "gay",
    "heterosexual",
    "hispanic",
    "homosexual",
    "indian",
    "japanese",
    "jewish",
    "latina",
    "latino",
    "latinx",
    "lesbian",
    "lgbt",
    "lgbtq",
    "male",
    "mexican",
    "middle aged",
    "middle eastern",
    "millenial",
    "muslim",
    "nonbinary",
    "old",
    "older",
    "paralyzed",
    "protestant",
    "queer",
    "sikh",
    "straight",
    "taoist",
    "teenage",
    "trans",
    "transgender",
    "white",
    "young",
    "younger",
];

/// The identity terms in `text` (whole words, case-blind, two-word terms preferred over
/// their first word), in order of first appearance, without repeats, comma-joined.
pub(crate) fn identity_terms(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words.get(i).copied().unwrap_or("");
        let two = words.get(i + 1).map(|n| format!("{w} {n}"));
        if let Some(t) = two
            .as_deref()
            .and_then(|two| IDENTITY_TERMS.iter().find(|t| **t == two))
        {
            if !found.contains(t) {
                found.push(t);
            }
            i += 2;
            continue;
        }
        if let Some(t) = IDENTITY_TERMS.iter().find(|t| **t == w) {
            if !found.contains(t) {
                found.push(t);
            }
        }
        i += 1;
    }
    if found.is_empty() {
        None
    } else {
        Some(found.join(","))
    }
}

/// `en_sentence_templates.csv`: `phrase` is the text, `toxicity` toxic/nontoxic → toxic;
/// native = the template name; target = the identity term (none for `you_occupation`).
pub(crate) fn templates(root: &Path) -> Result<Loaded> {
    let t = read::table(
        TEMPLATES,
        root,
        "conversationai_bias_templates/en_sentence_templates.csv",
        b',',
        Quoting::Quoted,
    )?;
    let (c_tpl, c_tox, c_phrase) = (t.col("template")?, t.col("toxicity")?, t.col("phrase")?);
    let mut out = Loaded::default();
    for row in &t.rows {
        let template = row.get(c_tpl).trim();
        let mut e = Example::new(TEMPLATES, row.get(c_phrase), Split::Test).with_native(template);
        match row.get(c_tox).trim() {
            "toxic" => e.set(Label::Toxic, true),
            "nontoxic" => e.set(Label::Toxic, false),
            other => {
                return Err(t.err(
                    row,
                    "toxicity",
                    format!("expected toxic or nontoxic, found {other:?}"),
                ))
            }
        }
        if template != "you_occupation" {
            e.target = identity_terms(&e.text);
        }
        out.examples.push(e);
    }
    Ok(out)
}

/// The Wikipedia Talk pair: the non-fuzzed file (native `nonfuzzed`) then the fuzzed copy
/// (native `fuzzed`, identity terms swapped), `toxic` True/False → toxic, target = the
/// identity terms found in the row.
pub(crate) fn wiki(root: &Path) -> Result<Loaded> {
    let mut out = Loaded::default();
    for (file, native) in [
        (
            "conversationai_bias_templates/toxicity_nonfuzzed_testset.csv",
            "nonfuzzed",
        ),
        (
            "conversationai_bias_templates/toxicity_fuzzed_testset.csv",
            "fuzzed",
        ),
    ] {
        let t = read::table(WIKI, root, file, b',', Quoting::Quoted)?;
        let (c_text, c_tox) = (t.col("comment")?, t.col("toxic")?);
        for row in &t.rows {
            let mut e = Example::new(WIKI, row.get(c_text), Split::Test).with_native(native);
            match read::parse_flag(row.get(c_tox)) {
                Ok(Some(v)) => e.set(Label::Toxic, v),
                _ => return Err(t.err(row, "toxic", "expected True or False")),
            }
            e.target = identity_terms(&e.text);
            out.examples.push(e);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms() {
        assert_eq!(
            identity_terms("hug african american").as_deref(),
            Some("african american")
        );
        assert_eq!(
            identity_terms("Being middle aged is fun").as_deref(),
            Some("middle aged")
        );
        assert_eq!(identity_terms("You are a great writer"), None);
        assert_eq!(
            identity_terms("The Jewish man and the gay, Jewish.").as_deref(),
            Some("jewish,gay")
        );
        assert_eq!(
            identity_terms("older than old").as_deref(),
            Some("older,old")
        );
    }
}
