//! What scoring a comment gives.

use crate::model::Label;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// What to do with a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Action {
    /// Nothing flagged.
    Allow,
    /// Something flagged: a person should look.
    Review,
    /// A hateful label or a threat flagged with high confidence.
    Reject,
}

impl Action {
    /// `allow`, `review` or `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Review => "review",
            Action::Reject => "reject",
        }
    }
}

/// A span of a comment left out of the commenter's own words before scoring
/// ([`Moderator::left_out`](super::Moderator::left_out)): byte offsets into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeftOut {
    /// Byte offset where the span starts.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
    /// Why it was left out.
    pub why: LeftOutWhy,
}

/// Why a span was left out of a comment's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeftOutWhy {
    /// Abuse inside quotation marks, in a comment with a reporting or counter-speech cue
    /// outside them.
    QuotedAbuse,
    /// A word its neighbours show in an innocent sense ("a quick fag") or a slur in a
    /// first-person self-description ("I'm a dyke"): `src/moderator/senses.tsv`.
    Sense,
    /// A dehumanising word right after a negation ("Refugees are not vermin").
    Denied,
    /// A slur or dehumanising word named, not used: what someone should not call or
    /// describe people ("Don't call Koreans gooks"), or alone in quotation marks.
    Named,
    /// A dehumanising word said of a thing, an animal, a place or an institution, in a
    /// sentence that names no people: `src/moderator/objects.tsv`.
    Thing,
}

impl LeftOutWhy {
    /// A short description, as `explain` prints it.
    pub fn describe(self) -> &'static str {
        match self {
            LeftOutWhy::QuotedAbuse => "quoted abuse in a comment that reports or condemns it",
            LeftOutWhy::Sense => "ordinary sense or self-description (src/moderator/senses.tsv)",
            LeftOutWhy::Denied => "denied by a negation",
            LeftOutWhy::Named => "named, not used (a refusal to call people it, or quoted alone)",
            LeftOutWhy::Thing => "said of a thing (src/moderator/objects.tsv)",
        }
    }
}

/// A span of the original text that pushed a label up, with its weight (its share of the
/// label's logit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The label it explains.
    pub label: Label,
    /// Byte offset of the span in the comment's text.
    pub start: usize,
    /// End (exclusive) of the span.
    pub end: usize,
    /// The span's text.
    pub text: String,
    /// Its contribution to the label's logit; for the slur that set the slur floor
    /// (`features::slur_floor`), the floor's logit; for an insult said of a group that raised
    /// identity_attack to its threshold ([`Policy::group_insults`](crate::Policy)), how far
    /// it raised the logit.
    pub weight: f32,
}

/// The verdict on one comment.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Verdict {
    /// Probability per label, in [`Label::ALL`] order (see [`Verdict::score`]).
    pub scores: [f32; Label::COUNT],
    /// Labels at or over their threshold.
    pub flags: Vec<Label>,
    /// What to do.
    pub action: Action,
    /// The targeted group (`ethnicity`, `religion`, ...) or `individual`, when known.
    pub target: Option<String>,
    /// The spans behind each flag.
    pub reasons: Vec<Reason>,
}

impl Verdict {
    /// The probability of one label.
    pub fn score(&self, label: Label) -> f32 {
        self.scores[label.index()]
    }
    /// True when the label is flagged.
    pub fn is_flagged(&self, label: Label) -> bool {
        self.flags.contains(&label)
    }
    /// True when identity_attack, dehumanising or slur is flagged.
    pub fn is_hateful(&self) -> bool {
        self.flags.iter().any(|l| l.is_hateful())
    }
}

/// `{"toxic": 0.12, ...}` with labels in their fixed order.
pub(crate) struct ScoreMap<'a>(pub &'a [f32; Label::COUNT]);

impl Serialize for ScoreMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(Label::COUNT))?;
        for l in Label::ALL {
            // Four decimals are plenty and keep records short.
            let v = (self.0[l.index()] as f64 * 1e4).round() / 1e4;
            m.serialize_entry(l.name(), &v)?;
        }
        m.end()
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("scores", &ScoreMap(&self.scores))?;
        m.serialize_entry("flags", &self.flags)?;
        m.serialize_entry("action", &self.action)?;
        m.serialize_entry("target", &self.target)?;
        m.serialize_entry("reasons", &self.reasons)?;
        m.end()
    }
}
