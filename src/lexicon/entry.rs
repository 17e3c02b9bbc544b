//! Lexicon entries and the TSV format they are written in.
//!
//! Every data file is UTF-8 TSV whose first line (after `#` comment lines) is exactly
//! [`HEADER`]: the column names
//! `term`, `category`, `group_or_kind`, `severity`, `flags`, `notes`, separated by tabs.
//!
//! Blank lines and lines starting with `#` are skipped. `flags` is a comma-separated list
//! of [`Flags`] names (or empty / `-`); `severity` is 1 (mild) to 3 (severe).

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// The header line every lexicon TSV file starts with.
pub const HEADER: &str = "term\tcategory\tgroup_or_kind\tseverity\tflags\tnotes";

/// What kind of list an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Category {
    /// A neutral word naming a group of people (`muslims`, `black people`, `gay`).
    IdentityTerm,
    /// A derogatory identity slur (its group is in [`Entry::group`]).
    Slur,
    /// Dehumanising vocabulary: vermin, animal, disease, filth, parasite, object,
    /// extermination verbs and collocations (the kind is in [`Entry::kind`]).
    Dehumanising,
    /// A negation cue (`not`, `never`, `no`).
    Negation,
    /// A reporting or quotation cue (`called me`, `he said`, `is a slur`).
    Reporting,
    /// A counter-speech cue (`that's racist`, `not okay`).
    CounterSpeech,
    /// A threat verb or phrase (`kill`, `i will find you`).
    Threat,
    /// An obscene or profane term.
    Obscene,
    /// An insult term (`idiot`, `moron`).
    Insult,
}

impl Category {
    /// Every category, in a fixed order.
    pub const ALL: [Category; 9] = [
        Category::IdentityTerm,
        Category::Slur,
        Category::Dehumanising,
        Category::Negation,
        Category::Reporting,
        Category::CounterSpeech,
        Category::Threat,
        Category::Obscene,
        Category::Insult,
    ];

    /// The snake_case name used in the data files.
    pub fn name(self) -> &'static str {
        match self {
            Category::IdentityTerm => "identity_term",
            Category::Slur => "slur",
            Category::Dehumanising => "dehumanising",
            Category::Negation => "negation",
            Category::Reporting => "reporting",
            Category::CounterSpeech => "counter_speech",
            Category::Threat => "threat",
            Category::Obscene => "obscene",
            Category::Insult => "insult",
        }
    }

    /// Position in [`Category::ALL`].
    pub fn index(self) -> usize {
        Category::ALL.iter().position(|&c| c == self).unwrap_or(0)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Category {
    type Err = Error;
    fn from_str(s: &str) -> Result<Category> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| Error::param("category", format!("unknown category `{s}`")))
    }
}

/// The group of people an identity term or slur names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Group {
    /// Ethnicity or race.
    Ethnicity,
    /// Nationality or national origin (including migrants as a group).
    Nationality,
    /// Religion.
    Religion,
    /// Gender.
    Gender,
    /// Sexual orientation.
    SexualOrientation,
    /// Gender identity.
    GenderIdentity,
    /// Disability (physical, mental, intellectual).
    Disability,
    /// Age.
    Age,
    /// Any other group (class, politics, body size, ...).
    Other,
}

impl Group {
    /// Every group, in a fixed order.
    pub const ALL: [Group; 9] = [
        Group::Ethnicity,
        Group::Nationality,
        Group::Religion,
        Group::Gender,
        Group::SexualOrientation,
        Group::GenderIdentity,
        Group::Disability,
        Group::Age,
        Group::Other,
    ];

    /// The snake_case name used in the data files.
    pub fn name(self) -> &'static str {
        match self {
            Group::Ethnicity => "ethnicity",
            Group::Nationality => "nationality",
            Group::Religion => "religion",
            Group::Gender => "gender",
            Group::SexualOrientation => "sexual_orientation",
            Group::GenderIdentity => "gender_identity",
            Group::Disability => "disability",
            Group::Age => "age",
            Group::Other => "other",
        }
    }

    /// Position in [`Group::ALL`].
    pub fn index(self) -> usize {
        Group::ALL.iter().position(|&g| g == self).unwrap_or(0)
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Group {
    type Err = Error;
    fn from_str(s: &str) -> Result<Group> {
        Group::ALL
            .iter()
            .copied()
            .find(|g| g.name() == s)
            .ok_or_else(|| Error::param("group", format!("unknown group `{s}`")))
    }
}

/// Flags on an entry: a small bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(u8);

impl Flags {
    /// No flags.
    pub const NONE: Flags = Flags(0);
    /// `homonym`: a common non-slur sense exists (a cigarette, an animal, a colour...).
    pub const HOMONYM: Flags = Flags(1);
    /// `reclaimed`: in-group reclaimed use is common.
    pub const RECLAIMED: Flags = Flags(2);
    /// `obfuscation-prone`: often written masked or with look-alike characters.
    pub const OBFUSCATION_PRONE: Flags = Flags(4);
    /// `verb`: inflect as a verb (-s, -ed, -ing) on the first word instead of as a noun.
    pub const VERB: Flags = Flags(8);
    /// `exact`: match only the written form, no inflections.
    pub const EXACT: Flags = Flags(16);

    const NAMES: [(&'static str, Flags); 5] = [
        ("homonym", Flags::HOMONYM),
        ("reclaimed", Flags::RECLAIMED),
        ("obfuscation-prone", Flags::OBFUSCATION_PRONE),
        ("verb", Flags::VERB),
        ("exact", Flags::EXACT),
    ];

    /// True when every flag of `other` is set.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
    /// The union of both sets.
    pub fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
    /// The raw bits.
    pub fn bits(self) -> u8 {
        self.0
    }
    /// The names of the flags set, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Flags::NAMES
            .into_iter()
            .filter(move |&(_, f)| self.contains(f))
            .map(|(n, _)| n)
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for n in self.names() {
            if !first {
                f.write_str(",")?;
            }
            f.write_str(n)?;
            first = false;
        }
        Ok(())
    }
}

impl FromStr for Flags {
    type Err = Error;
    /// Parses a comma-separated list of flag names; empty or `-` is no flags.
    fn from_str(s: &str) -> Result<Flags> {
        let mut flags = Flags::NONE;
        for part in s.split(',').map(str::trim) {
            if part.is_empty() || part == "-" {
                continue;
            }
            let f = Flags::NAMES
                .iter()
                .find(|(n, _)| *n == part)
                .map(|&(_, f)| f)
                .ok_or_else(|| Error::param("flags", format!("unknown flag `{part}`")))?;
            flags = flags.union(f);
        }
        Ok(flags)
    }
}

/// One lexicon entry: a row of a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The term as written in the file (one or more words).
    pub term: String,
    /// Which list it belongs to.
    pub category: Category,
    /// The group it names or targets, when the third column is a [`Group`] name.
    pub group: Option<Group>,
    /// The third column as written: a group name, or a kind (`vermin`, `extermination`,
    /// `negation`, ...).
    pub kind: String,
    /// 1 (mild) to 3 (severe).
    pub severity: u8,
    /// Homonym / reclaimed / obfuscation-prone / verb / exact.
    pub flags: Flags,
    /// Free-text notes (senses, reclaimed uses).
    pub notes: String,
    /// The source the entry came from (file name or `<tsv>`).
    pub source: String,
    /// 1-based line number in its source.
    pub line: u64,
}

/// A syntax error in a lexicon data file at `line` (with the file, unless `source` is a
/// `<placeholder>` for text given in memory).
pub(crate) fn line_error(source: &str, line: u64, msg: String) -> Error {
    let e = Error::syntax("lexicon", msg).at_line(line);
    if source.starts_with('<') {
        e
    } else {
        e.in_file(source)
    }
}

/// The content lines of a data file, with their 1-based numbers: a byte-order mark, `\r`
/// endings, blank lines and `#` comments are skipped, and the first other line must be
/// `header` (it is not returned; a file without one is an error).
pub(crate) fn content_lines<'a>(
    text: &'a str,
    source: &str,
    header: &str,
) -> Result<Vec<(u64, &'a str)>> {
    let mut out = Vec::new();
    let mut saw_header = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        let l = if line == 1 {
            l.trim_start_matches('\u{feff}')
        } else {
            l
        };
        if l.trim().is_empty() || l.starts_with('#') {
            continue;
        }
        if !saw_header {
            if l != header {
                let want = header.replace('\t', "<TAB>");
                let msg = format!("expected the header line `{want}`");
                return Err(line_error(source, line, msg));
            }
            saw_header = true;
            continue;
        }
        out.push((line, l));
    }
    if !saw_header {
        let msg = "empty lexicon file: no header line".to_string();
        return Err(line_error(source, 1, msg));
    }
    Ok(out)
}

/// Parses one data file into entries. `source` names it in errors.
pub(crate) fn parse_tsv(text: &str, source: &str) -> Result<Vec<Entry>> {
    let err = |line: u64, msg: String| line_error(source, line, msg);
    let mut entries = Vec::new();
    for (line, l) in content_lines(text, source, HEADER)? {
        let cols: Vec<&str> = l.split('\t').collect();
        if cols.len() < 5 || cols.len() > 6 {
            return Err(err(
                line,
                format!(
                    "expected 5 or 6 tab-separated columns, found {}",
                    cols.len()
                ),
            ));
        }
        let term = cols[0].trim();
        if term.is_empty() {
            return Err(err(line, "empty term".into()));
        }
        if term.contains('*') {
            return Err(err(
                line,
                format!("term `{term}` contains `*` (the masking wildcard)"),
            ));
        }
        let category: Category = cols[1]
            .trim()
            .parse()
            .map_err(|_| err(line, format!("unknown category `{}`", cols[1].trim())))?;
        let kind = cols[2].trim();
        if kind.is_empty() {
            return Err(err(line, "empty group_or_kind".into()));
        }
        let group = kind.parse::<Group>().ok();
        if matches!(category, Category::IdentityTerm | Category::Slur) && group.is_none() {
            return Err(err(
                line,
                format!("`{kind}` is not a group (identity terms and slurs need one)"),
            ));
        }
        let severity = match cols[3].trim() {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            s => {
                return Err(err(
                    line,
                    format!("severity must be 1, 2 or 3, found `{s}`"),
                ))
            }
        };
        let flags: Flags = cols[4]
            .parse()
            .map_err(|e: Error| err(line, e.kind().to_string()))?;
        entries.push(Entry {
            term: term.to_string(),
            category,
            group,
            kind: kind.to_string(),
            severity,
            flags,
            notes: cols
                .get(5)
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
            source: source.to_string(),
            line,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_flags() {
        let t = format!(
            "{HEADER}\n# comment\n\nrat\tdehumanising\tvermin\t2\thomonym,verb\tan animal\n"
        );
        let e = parse_tsv(&t, "<t>").unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, "vermin");
        assert_eq!(e[0].group, None);
        assert_eq!(e[0].line, 4);
        assert!(e[0].flags.contains(Flags::HOMONYM.union(Flags::VERB)));
        assert_eq!(e[0].flags.to_string(), "homonym,verb");
    }

    #[test]
    fn errors_carry_line() {
        let t = format!("{HEADER}\nok\tslur\tethnicity\t3\t\nbad\tslur\tethnicity\t7\t\n");
        let e = parse_tsv(&t, "<t>").unwrap_err();
        assert_eq!(e.position().line, Some(3));
        let t = format!("{HEADER}\nx\tslur\tnobody\t1\t\n");
        assert_eq!(parse_tsv(&t, "<t>").unwrap_err().position().line, Some(2));
        assert!(parse_tsv("term\tcategory\n", "<t>").is_err());
    }

    #[test]
    fn names_round_trip() {
        for g in Group::ALL {
            assert_eq!(g.name().parse::<Group>().unwrap(), g);
        }
        for c in Category::ALL {
            assert_eq!(c.name().parse::<Category>().unwrap(), c);
        }
    }
}
