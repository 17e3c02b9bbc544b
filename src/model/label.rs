//! The labels a verdict holds.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One kind of abuse that commentguard scores. See DESIGN.md for what each means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Label {
    /// Any of the others, or generally abusive.
    Toxic,
    /// Insults aimed at a person.
    Insult,
    /// Threats of violence or harm.
    Threat,
    /// Obscene or profane language.
    Obscene,
    /// Hostility at people for who they are, with or without slurs.
    IdentityAttack,
    /// Denying people their humanity: vermin, animal, disease, filth metaphors.
    Dehumanising,
    /// A derogatory use of an identity slur (not quoted, reclaimed or a homonym).
    Slur,
}

impl Label {
    /// Every label, in the fixed order used by model files (`index()`).
    pub const ALL: [Label; 7] = [
        Label::Toxic,
        Label::Insult,
        Label::Threat,
        Label::Obscene,
        Label::IdentityAttack,
        Label::Dehumanising,
        Label::Slur,
    ];
    /// Number of labels.
    pub const COUNT: usize = 7;

    /// The snake_case name used in JSON, CSV and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Label::Toxic => "toxic",
            Label::Insult => "insult",
            Label::Threat => "threat",
            Label::Obscene => "obscene",
            Label::IdentityAttack => "identity_attack",
            Label::Dehumanising => "dehumanising",
            Label::Slur => "slur",
        }
    }
    /// Position in [`Label::ALL`]: the discriminant, since the variants are declared in
    /// `ALL`'s order (test `index_is_the_position_in_all`).
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }
    /// True for the labels that make a comment count as hateful.
    pub fn is_hateful(self) -> bool {
        matches!(
            self,
            Label::IdentityAttack | Label::Dehumanising | Label::Slur
        )
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Label {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Label> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        let s = if s == "dehumanizing" {
            "dehumanising".to_string()
        } else {
            s
        };
        Label::ALL
            .iter()
            .copied()
            .find(|l| l.name() == s)
            .ok_or_else(|| {
                crate::Error::param(
                    "label",
                    format!(
                        "unknown label {s:?}; one of: {}",
                        Label::ALL.map(|l| l.name()).join(", ")
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trip() {
        for l in Label::ALL {
            assert_eq!(l.name().parse::<Label>().unwrap(), l);
            assert_eq!(Label::ALL[l.index()], l);
        }
        assert_eq!(
            "dehumanizing".parse::<Label>().unwrap(),
            Label::Dehumanising
        );
        assert!("nope".parse::<Label>().is_err());
    }

    #[test]
    fn index_is_the_position_in_all() {
        assert_eq!(Label::ALL.len(), Label::COUNT);
        for (i, l) in Label::ALL.into_iter().enumerate() {
            assert_eq!(l.index(), i, "{l}");
            assert_eq!(Label::ALL.iter().position(|&x| x == l), Some(i), "{l}");
        }
    }
}
