//! The slur floor: a lower bound on the `slur` probability of a comment that plainly uses an
//! unambiguous identity slur.
//!
//! No corpus labels slurs (DESIGN.md, "`slur` has no corpus labels"), so the `slur` model
//! learns only the severe words the corpora use often, and a rare or milder slur (`vatnik`,
//! `sperg`) scores near zero whatever the frame. The lexicon knows these words are slurs; the
//! floor turns that into a probability measured on the training rows: among training rows
//! that plainly use an unambiguous identity slur of severity `s`, the share labelled abusive.
//! A comment that plainly uses such a slur scores at least that share on `slur`.
//!
//! "Unambiguous identity slur": a lexicon slur that is neither a homonym nor reclaimed, aimed
//! at a named group other than "other" (class, politics, body size). "Plainly": the comment has
//! no negation before abuse, no reporting or counter-speech cue and no abuse in quotation
//! marks ([`Cues`]), so quoted, reported, negated and condemned uses keep the model's score.

use super::Cues;
use crate::lexicon::{Category, Flags, Group, Hit};
use crate::model::Label;
use crate::train::datasets::{Example, Split};
use serde::{Deserialize, Serialize};

/// Name of the bundle section that holds the floor (JSON).
pub const SECTION: &str = "slur_floor.json";

/// Fewest training rows a severity needs for a floor.
pub const MIN_ROWS: usize = 30;

/// Mildest severity with a floor. Severity-1 words (`psycho`, `gringo`, `codger`) are as
/// often plain insults or banter as identity slurs, so they keep the model's score.
pub const MIN_SEVERITY: u8 = 2;

/// The floor per slur severity, fitted on training rows ([`SlurFloor::fit`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlurFloor {
    /// One entry per severity of at least [`MIN_SEVERITY`] that had at least [`MIN_ROWS`]
    /// rows.
    pub severities: Vec<FloorEntry>,
}

/// The floor of one severity and the rows behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FloorEntry {
    /// Lexicon severity (1 mild .. 3 severe).
    pub severity: u8,
    /// Share of the rows labelled abusive: the floor.
    pub probability: f32,
    /// Training rows that plainly use an unambiguous slur of this severity (and none more
    /// severe).
    pub rows: usize,
}

/// Whether the comment whose `cues` these are uses no negation, reporting or counter-speech
/// cue and no quotation marks around abuse.
pub fn plain(cues: &Cues) -> bool {
    // Cues::NAMES: 6 negated abuse, 7 reporting or counter-speech cue, 8 abuse in quotes.
    cues.0[6] == 0.0 && cues.0[7] == 0.0 && cues.0[8] == 0.0
}

/// Whether `h` is an unambiguous identity slur: no homonym or reclaimed flag, aimed at a named
/// group other than [`Group::Other`].
pub fn unambiguous(h: &Hit) -> bool {
    h.category == Category::Slur
        && !h.flags.contains(Flags::HOMONYM)
        && !h.flags.contains(Flags::RECLAIMED)
        && !matches!(h.group, None | Some(Group::Other))
}

/// The most severe unambiguous identity slur of a plain comment (the first of equal
/// severity), or `None` (no such slur, or the comment is not plain).
pub fn plain_slur<'h>(hits: &'h [Hit], cues: &Cues) -> Option<&'h Hit> {
    if !plain(cues) {
        return None;
    }
    hits.iter().filter(|h| unambiguous(h)).reduce(most_severe)
}

/// The more severe of two hits, the first of equal severity (for `reduce`).
pub fn most_severe<'h>(best: &'h Hit, h: &'h Hit) -> &'h Hit {
    if h.severity > best.severity {
        h
    } else {
        best
    }
}

impl SlurFloor {
    /// The floor of a severity, if it has one.
    pub fn floor(&self, severity: u8) -> Option<f32> {
        self.severities
            .iter()
            .find(|e| e.severity == severity)
            .map(|e| e.probability)
    }

    /// The floor for a comment: that of its most severe plain unambiguous slur, with the hit.
    pub fn for_comment<'h>(&self, hits: &'h [Hit], cues: &Cues) -> Option<(f32, &'h Hit)> {
        let h = plain_slur(hits, cues)?;
        Some((self.floor(h.severity)?, h))
    }

    /// Fits the floor on the training split of `examples`. `plain_slurs[i]` is the severity of
    /// row `i`'s most severe plain unambiguous slur ([`plain_slur`] on its extraction). A row
    /// counts when it is labelled abusive (toxic or identity_attack true) or clean (toxic
    /// false, identity_attack not true), as in `train::weak_slur_labels`.
    pub fn fit(examples: &[Example], plain_slurs: &[Option<u8>]) -> SlurFloor {
        let mut counts = [(0usize, 0usize); 4];
        for (e, s) in examples.iter().zip(plain_slurs) {
            let Some(s) = s else { continue };
            if e.split != Split::Train || *s < MIN_SEVERITY {
                continue;
            }
            let attack = e.label(Label::IdentityAttack);
            let abusive = e.label(Label::Toxic) == Some(true) || attack == Some(true);
            let clean = e.label(Label::Toxic) == Some(false) && attack != Some(true);
            let c = &mut counts[usize::from(*s).min(3)];
            if abusive {
                c.0 += 1;
            } else if clean {
                c.1 += 1;
            }
        }
        let severities = counts
            .iter()
            .enumerate()
            .filter(|(_, (a, c))| a + c >= MIN_ROWS)
            .map(|(s, &(a, c))| FloorEntry {
                severity: s as u8,
                probability: (a as f64 / (a + c) as f64) as f32,
                rows: a + c,
            })
            .collect();
        SlurFloor { severities }
    }

    /// The floor a bundle carries, if any (bundles trained before the floor, or with
    /// `--no-slur-floor`, have none).
    pub fn of_bundle(bundle: &crate::model::Bundle) -> crate::Result<Option<SlurFloor>> {
        bundle
            .sections
            .get(SECTION)
            .map(|b| SlurFloor::from_section(b))
            .transpose()
    }

    /// The floor as the bundle section's bytes.
    pub fn to_section(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a slur floor always encodes")
    }

    /// The floor from the bundle section's bytes.
    pub fn from_section(bytes: &[u8]) -> crate::Result<SlurFloor> {
        let f: SlurFloor = serde_json::from_slice(bytes).map_err(|e| {
            crate::Error::model(format!("bad {SECTION} section in the bundle: {e}"))
        })?;
        if let Some(e) = f
            .severities
            .iter()
            .find(|e| !(0.0..=1.0).contains(&e.probability))
        {
            return Err(crate::Error::model(format!(
                "bad {SECTION} section: severity {} has probability {}",
                e.severity, e.probability
            )));
        }
        Ok(f)
    }

    /// One line for the model card.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .severities
            .iter()
            .map(|e| {
                format!(
                    "severity {}: {:.3} ({} rows)",
                    e.severity, e.probability, e.rows
                )
            })
            .collect();
        format!(
            "slur floor: a comment that plainly uses an unambiguous identity slur (no homonym or \
             reclaimed flag, a named group; no negation, reporting or counter-speech cue, or \
             quotation marks) scores at least the share of such training rows labelled abusive: \
             {}",
            if parts.is_empty() {
                "none (too few rows)".to_string()
            } else {
                parts.join(", ")
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Context, FeatureSpace, FeatureVec, Scratch};

    fn extraction(text: &str) -> Scratch {
        let space = FeatureSpace::default();
        let (mut sc, mut fv) = (Scratch::default(), FeatureVec::default());
        space.extract(text, &Context::default(), &mut sc, &mut fv);
        sc
    }

    fn severity(text: &str) -> Option<u8> {
        let sc = extraction(text);
        plain_slur(sc.hits(), sc.cues()).map(|h| h.severity)
    }

    #[test]
    fn plain_uses_of_unambiguous_slurs_are_found() {
        assert_eq!(
            severity("typical vatnik logic, nothing more to say"),
            Some(2)
        );
        assert_eq!(severity("the kikes next door again"), Some(3));
        // The most severe one wins.
        assert_eq!(severity("vatniks and kikes, all of them"), Some(3));
    }

    #[test]
    fn ambiguous_or_framed_uses_are_not() {
        // Homonym (a bundle of sticks) and reclaimed words.
        assert_eq!(severity("tie the sticks into a faggot"), None);
        assert_eq!(severity("we're here, we're queer"), None);
        // Negated, reported, quoted.
        assert_eq!(severity("Russians are not vatniks"), None);
        assert_eq!(severity("He called me a \"vatnik\" and left."), None);
        // A slur aimed at no named group ("other": class, politics, body size).
        assert_eq!(severity("typical trailer trash behaviour"), None);
        // No slur at all.
        assert_eq!(severity("Russians and Ukrainians"), None);
    }

    fn row(split: Split, toxic: Option<bool>) -> Example {
        let mut e = Example::new("t", "", split);
        if let Some(t) = toxic {
            e.set(Label::Toxic, t);
        }
        e
    }

    #[test]
    fn fit_counts_training_rows_per_severity() {
        let (mut rows, mut sev) = (Vec::new(), Vec::new());
        let mut add = |n: usize, split: Split, toxic: Option<bool>, s: Option<u8>| {
            for _ in 0..n {
                rows.push(row(split, toxic));
                sev.push(s);
            }
        };
        // Severity 2: 30 abusive, 10 clean, 5 unlabelled, and 50 dev rows that must not count.
        add(30, Split::Train, Some(true), Some(2));
        add(10, Split::Train, Some(false), Some(2));
        add(5, Split::Train, None, Some(2));
        add(50, Split::Dev, Some(false), Some(2));
        // Severity 3: too few rows for a floor.
        add(29, Split::Train, Some(true), Some(3));
        // Severity 1: never a floor, however many rows.
        add(40, Split::Train, Some(true), Some(1));
        // No plain unambiguous slur.
        add(1, Split::Train, Some(true), None);
        let f = SlurFloor::fit(&rows, &sev);
        assert_eq!(f.floor(1), None);
        assert_eq!(f.floor(2), Some(0.75));
        assert_eq!(f.severities[0].rows, 40);
        assert_eq!(f.floor(3), None);
        let back = SlurFloor::from_section(&f.to_section()).unwrap();
        assert_eq!(back, f);
        assert!(f.describe().contains("severity 2: 0.750 (40 rows)"));
    }

    #[test]
    fn bad_sections_are_errors() {
        assert!(SlurFloor::from_section(b"{").is_err());
        let bad = br#"{"severities":[{"severity":2,"probability":1.5,"rows":40}]}"#;
        let e = SlurFloor::from_section(bad).unwrap_err().to_string();
        assert!(e.contains("probability 1.5"), "{e}");
    }
}
