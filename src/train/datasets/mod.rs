//! Labelled data sets: one adapter per public corpus, mapped to our labels.
//!
//! Each adapter reads the published files of one corpus (found under a root folder, usually
//! `$COMMENTGUARD_DATA`; nothing is copied into the repository) and returns [`Example`]s:
//! the text, one `Option<bool>` per [`Label`] (`None` = this set says nothing about that
//! label, so the row is left out of that label's fit and never counted as a negative), the
//! split, and what the set itself says (target group, reply context, native class).
//!
//! Splits: the official one where it exists (with the official validation set as
//! [`Split::Dev`]); otherwise a seeded split from a stable hash (xxh3 with [`SPLIT_SEED`]) of
//! the set's name and the row's lower-cased, trimmed text, so duplicates of a text always
//! land in the same split and the split is the same on every machine and every run.
//! [`Split::Test`] rows are for held-out figures only, never for tuning.
//!
//! The label mapping per set, with the reasoning, is the table in `datasets/README.md`.
//!
//! ```no_run
//! use commentguard::train::datasets::{load, Split};
//! let rows = load("davidson2017", std::path::Path::new("../shared/datasets"))?;
//! let train = rows.iter().filter(|e| e.split == Split::Train).count();
//! assert!(train > 0);
//! # Ok::<(), commentguard::Error>(())
//! ```

mod bias;
mod export;
mod forums;
pub mod own;
mod read;
mod toxic_spans;
mod tweets;
mod user;

pub use export::{checksums, export_splits, verify_checksums, write_split_csvs, Mismatch};
pub(crate) use export::{sha256_file, sha256_hex};
pub use user::{load_user_file, USER_DATASET};

use crate::model::Label;
use crate::{Error, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The seed of every seeded split (recorded in the model card and `datasets/README.md`).
pub const SPLIT_SEED: u64 = 0x00C0_FFEE_2026;

/// Which part of a data set a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Split {
    /// Fitting the model.
    Train,
    /// Tuning thresholds and hyper-parameters (the official validation set where one exists).
    Dev,
    /// Held-out figures only; never used for tuning.
    Test,
}

impl Split {
    /// All splits, in order.
    pub const ALL: [Split; 3] = [Split::Train, Split::Dev, Split::Test];
    /// `train`, `dev` or `test`.
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a data set may be used for (see `datasets/README.md`, "How the project may use each set").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Use {
    /// May train the shipped model: its Train/Dev rows fit and tune, its Test rows give
    /// held-out figures.
    Train,
    /// Evaluation only (the bias audit): every row is [`Split::Test`]; never train on it.
    Eval,
}

/// The class a data set itself gives a row (e.g. HateXplain `hatespeech`, Davidson
/// `offensive_language`, Stormfront `noHate`, hatemoji `dehumanizinglanguage`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NativeLabel(String);

impl NativeLabel {
    /// Wraps a class name.
    pub fn new(s: impl Into<String>) -> NativeLabel {
        NativeLabel(s.into())
    }
    /// The class name, as the data set spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NativeLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One labelled text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The text to classify, as published (entities, case and tokenisation untouched unless
    /// the adapter's docs say otherwise).
    pub text: String,
    /// One entry per label, indexed by [`Label::index`]; `None` = the set does not say.
    pub labels: [Option<bool>; Label::COUNT],
    /// The data set's name (a [`DatasetInfo::name`], or [`USER_DATASET`]).
    pub dataset: &'static str,
    /// The split the row belongs to.
    pub split: Split,
    /// The targeted group(s), as the set gives them.
    pub target: Option<String>,
    /// Preceding text the row replies to (e.g. ConvAbuse's earlier turns).
    pub context: Option<String>,
    /// The set's own class for the row.
    pub native: Option<NativeLabel>,
}

impl Example {
    /// A row with every label unknown.
    pub fn new(dataset: &'static str, text: impl Into<String>, split: Split) -> Example {
        Example {
            text: text.into(),
            labels: [None; Label::COUNT],
            dataset,
            split,
            target: None,
            context: None,
            native: None,
        }
    }
    /// The value of one label (`None` = unknown).
    pub fn label(&self, label: Label) -> Option<bool> {
        self.labels.get(label.index()).copied().flatten()
    }
    /// Sets one label.
    pub fn set(&mut self, label: Label, value: bool) {
        if let Some(slot) = self.labels.get_mut(label.index()) {
            *slot = Some(value);
        }
    }
    /// Sets every label to `value` (for a set's "clean" class that rules out all abuse).
    pub fn set_all(&mut self, value: bool) {
        self.labels = [Some(value); Label::COUNT];
    }
    fn with_native(mut self, s: impl Into<String>) -> Example {
        self.native = Some(NativeLabel::new(s));
        self
    }
}

/// A data set's rows plus what was dropped on the way, and why.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The rows kept.
    pub examples: Vec<Example>,
    /// Rows left out, counted per reason (e.g. `"annotator tie"`, `"label relation"`); a few
    /// reasons marked "(kept)" or "ignored" count rows kept with less information.
    pub dropped: BTreeMap<&'static str, usize>,
}

impl Loaded {
    fn drop_row(&mut self, why: &'static str) {
        *self.dropped.entry(why).or_insert(0) += 1;
    }
}

/// A corpus we have an adapter for.
#[derive(Debug, Clone, Copy)]
pub struct DatasetInfo {
    /// Name used by [`load`] and in [`Example::dataset`].
    pub name: &'static str,
    /// Folder under the data root.
    pub folder: &'static str,
    /// What it may be used for.
    pub usage: Use,
    /// Licence of the data.
    pub licence: &'static str,
    /// How the split is made.
    pub split: &'static str,
    /// Files read, relative to the data root, with the expected sha256 (from the corpora's
    /// manifest).
    pub files: &'static [(&'static str, &'static str)],
}

/// Every data set with an adapter, in a fixed order.
pub const DATASETS: &[DatasetInfo] = &[
    DatasetInfo {
        name: "davidson2017",
        folder: "davidson2017",
        usage: Use::Train,
        licence: "MIT",
        split: "seeded: 10% test, 10% dev, 80% train",
        files: &[(
            "davidson2017/labeled_data.csv",
            "fcb8bc7c68120ae4af04a5b9acd58585513ede11e1548ebf36a5c2040b6f6281",
        )],
    },
    DatasetInfo {
        name: "hatemoji_build",
        folder: "hatemoji_build",
        usage: Use::Train,
        licence: "CC BY 4.0",
        split: "official train / validation (dev) / test",
        files: &[
            (
                "hatemoji_build/train.csv",
                "2255818a5b10153876320068451be582ed876a2eefb22a250bd2f6478d1815e5",
            ),
            (
                "hatemoji_build/validation.csv",
                "721094d44fceb923a0b3897935126a654bbb1f092b1fed6a74d80e4a845c6f43",
            ),
            (
                "hatemoji_build/test.csv",
                "4b067b445c6445dbd4036d7c75dde21f72928bfd31db63d1c53d66226c53be99",
            ),
        ],
    },
    DatasetInfo {
        name: "hatexplain",
        folder: "hatexplain",
        usage: Use::Train,
        licence: "MIT",
        split: "official: train_derived / validation (dev) / test",
        files: &[
            (
                "hatexplain/hatexplain_train_derived.csv",
                "6e5abdd439805e871a554f2307a09c6b002f79005d0ae8215c91bfe03bd28cf6",
            ),
            (
                "hatexplain/hatexplain_validation.jsonl",
                "6bb44c417973ffa5bc3e52629ec0abfaa8bd7f52e84cfde21f9963954a23d892",
            ),
            (
                "hatexplain/hatexplain_test.jsonl",
                "312193273bf29f02357c03a4f4145b192fc116931d521de98190748a48085c6b",
            ),
        ],
    },
    DatasetInfo {
        name: "convabuse",
        folder: "convabuse",
        usage: Use::Train,
        licence: "CC BY 4.0",
        split: "official train / valid (dev) / test",
        files: &[
            (
                "convabuse/ConvAbuseEMNLPtrain.csv",
                "23abab3eff791d0e8cac681cec15a5ef299ed052699e4fca762d1d4640c36936",
            ),
            (
                "convabuse/ConvAbuseEMNLPvalid.csv",
                "a28bc3083fe3ea305b8c417539a20fda7e68057dc06365507b85c46b60e65443",
            ),
            (
                "convabuse/ConvAbuseEMNLPtest.csv",
                "8387d70332cd2245a095240534629152dd5729e8e9556e91b6b20dabdc0bb9d0",
            ),
        ],
    },
    DatasetInfo {
        name: "stormfront_degibert2018",
        folder: "stormfront_degibert2018",
        usage: Use::Train,
        licence: "CC BY-SA 3.0 ES",
        split: "official sampled_test; sampled_train + unsampled rows seeded 85% train / 15% dev",
        files: &[(
            "stormfront_degibert2018/stormfront_sentences.csv",
            "074d739c142a9c9a64f96d7e38c60a34f979551c8e0781715134fa61d86e7bd9",
        )],
    },
    DatasetInfo {
        name: "toxigen_seeds",
        folder: "toxigen_seeds",
        usage: Use::Train,
        licence: "CDLA-Permissive-2.0 (data), MIT (code)",
        split: "seeded: 20% test, 10% dev, 70% train",
        files: &[(
            "toxigen_seeds/toxigen_prompt_sentences.csv",
            "915dc6f83258a86439451482e45cd18b2308297772c1f2840fcd0fc62d01accc",
        )],
    },
    DatasetInfo {
        name: "toxic_spans",
        folder: "toxic_spans",
        usage: Use::Train,
        licence: "CC0 1.0",
        split: "official SemEval-2021 train / trial (dev) / test matched by text; other posts seeded 10% test, 10% dev, 80% train",
        files: &[
            (
                "toxic_spans/comments.csv",
                "76cd6ebd10a890d269c0a7e5e451f3da12375219906f314fd9cfb1e18b1a905f",
            ),
            (
                "toxic_spans/annotations.csv",
                "f67725aa9de73cd4ef9050222f6ae985ef0e33e8da89cb8137ffeb9a1d0fc32b",
            ),
            (
                "toxic_spans/spans.csv",
                "389c6964db5d96d79ecfe038aa4ffe04abafd64b6d6427fbad4ec7fb2c7672aa",
            ),
            (
                "toxic_spans/SemEval2021/tsd_train.csv",
                "b538ea2d64ed7c306ff8f010a25a5286bef6ce61d469042482ba64efc1ddd6cd",
            ),
            (
                "toxic_spans/SemEval2021/tsd_trial.csv",
                "6bb8e9a16470c0269ac8727fd8bb77df68d8fb27955d9f5ff29ad724505622e8",
            ),
            (
                "toxic_spans/SemEval2021/tsd_test.csv",
                "74f4dd086667fdad6198539ff9201d1f25f3a94c5169da1e7643a949974bf6b8",
            ),
        ],
    },
    DatasetInfo {
        name: "implicit_hate_elsherief2021",
        folder: "implicit_hate_elsherief2021",
        usage: Use::Train,
        licence: "CC BY 4.0",
        split: "seeded: 10% test, 10% dev, 80% train",
        files: &[
            (
                "implicit_hate_elsherief2021/implicit_hate_v1_stg1_posts.tsv",
                "00811aca26d05ace390e7131eb311a3e9e0e39ecadb2b839a173d4f7e2ccea8b",
            ),
            (
                "implicit_hate_elsherief2021/implicit_hate_v1_stg1.tsv",
                "8c9380566263c58400ec8f18ac5de824858709c1d78078c92e4de7808f1bfac1",
            ),
            (
                "implicit_hate_elsherief2021/implicit_hate_v1_stg2.tsv",
                "0ccbae02316208018415c3220c6d9f6213514b58e7b706de7d6426df112168fd",
            ),
            (
                "implicit_hate_elsherief2021/implicit_hate_v1_stg3.tsv",
                "9405cbf802f40abbe830b65b74de33d5c099984401026048b9258067b3f8db9c",
            ),
        ],
    },
    DatasetInfo {
        name: "implicit_identity_abuse_wiegand2022",
        folder: "implicit_identity_abuse_wiegand2022",
        usage: Use::Train,
        licence: "CC BY 4.0",
        split: "seeded: 10% test, 10% dev, 80% train",
        files: &[(
            "implicit_identity_abuse_wiegand2022/sentences.english.csv",
            "fc3a0adadbaa7f152f5e1162772e0fbb613c00193c6c334dd68a1497ceee2126",
        )],
    },
    DatasetInfo {
        name: own::NAME,
        folder: "",
        usage: Use::Train,
        licence: "ours (same licence as commentguard); compiled in from datasets/own/",
        split: "seeded per template: 15% test, 15% dev, 70% train",
        files: &[],
    },
    DatasetInfo {
        name: "conversationai_bias_templates",
        folder: "conversationai_bias_templates",
        usage: Use::Eval,
        licence: "CC BY 4.0",
        split: "evaluation only: every row is test",
        files: &[(
            "conversationai_bias_templates/en_sentence_templates.csv",
            "8ed7d07f61000a95a2e18747b8f1fbf43d75257cd342cddef1f3533254374633",
        )],
    },
    DatasetInfo {
        name: "conversationai_bias_wiki",
        folder: "conversationai_bias_templates",
        usage: Use::Eval,
        licence: "CC BY 4.0",
        split: "evaluation only: every row is test (non-fuzzed and fuzzed copies)",
        files: &[
            (
                "conversationai_bias_templates/toxicity_nonfuzzed_testset.csv",
                "c11caefa0c487cb7a7fc0726cb53358d4e5463bd071d65979398af59fa80f881",
            ),
            (
                "conversationai_bias_templates/toxicity_fuzzed_testset.csv",
                "382f8698edc67dc0ebd521406d9b4fb27b0192a0d09559503bd965609382685c",
            ),
        ],
    },
];

/// The entry of [`DATASETS`] called `name`.
pub fn info(name: &str) -> Option<&'static DatasetInfo> {
    DATASETS.iter().find(|d| d.name == name)
}

/// The split of a row without an official one: a stable hash of the data set's name and the
/// row's lower-cased, trimmed `key` (its text), seeded with [`SPLIT_SEED`], into 1,000
/// buckets; the first `test_permille` go to Test, the next `dev_permille` to Dev.
pub fn seeded_split(dataset: &str, key: &str, test_permille: u64, dev_permille: u64) -> Split {
    let mut bytes = Vec::with_capacity(dataset.len() + 1 + key.len());
    bytes.extend_from_slice(dataset.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(key.trim().to_lowercase().as_bytes());
    let bucket = xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, SPLIT_SEED) % 1000;
    if bucket < test_permille {
        Split::Test
    } else if bucket < test_permille + dev_permille {
        Split::Dev
    } else {
        Split::Train
    }
}

/// Drops Train and Dev rows whose text (trimmed, lower-cased) is also a Test row's text, so
/// that no held-out text is ever fitted or tuned on (official splits repeat short texts).
fn drop_test_duplicates(loaded: &mut Loaded) {
    let key = |e: &Example| e.text.trim().to_lowercase();
    let test: std::collections::HashSet<String> = loaded
        .examples
        .iter()
        .filter(|e| e.split == Split::Test)
        .map(key)
        .collect();
    if test.is_empty() {
        return;
    }
    let before = loaded.examples.len();
    loaded
        .examples
        .retain(|e| e.split == Split::Test || !test.contains(&key(e)));
    let n = before - loaded.examples.len();
    if n > 0 {
        *loaded
            .dropped
            .entry("train/dev row whose text is also in test")
            .or_insert(0) += n;
    }
}

/// Loads one data set by name, with the counts of rows dropped and why. Train and Dev rows
/// whose text is also in Test are dropped (and counted).
pub fn load_with_stats(name: &str, root: &Path) -> Result<Loaded> {
    let mut loaded = load_raw(name, root)?;
    drop_test_duplicates(&mut loaded);
    Ok(loaded)
}

fn load_raw(name: &str, root: &Path) -> Result<Loaded> {
    match name {
        "davidson2017" => tweets::davidson(root),
        "hatemoji_build" => tweets::hatemoji(root),
        "hatexplain" => tweets::hatexplain(root),
        "implicit_hate_elsherief2021" => tweets::implicit_hate(root),
        "convabuse" => forums::convabuse(root),
        "stormfront_degibert2018" => forums::stormfront(root),
        "toxigen_seeds" => forums::toxigen(root),
        "implicit_identity_abuse_wiegand2022" => forums::wiegand(root),
        "toxic_spans" => toxic_spans::load(root),
        own::NAME => own::load(),
        "conversationai_bias_templates" => bias::templates(root),
        "conversationai_bias_wiki" => bias::wiki(root),
        _ => Err(Error::dataset(
            name,
            format!(
                "unknown data set; one of: {}",
                DATASETS
                    .iter()
                    .map(|d| d.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Loads one data set by name (see [`DATASETS`]) from the corpora folder `root`.
pub fn load(name: &str, root: &Path) -> Result<Vec<Example>> {
    load_with_stats(name, root).map(|l| l.examples)
}

/// Loads every data set of one use, in [`DATASETS`] order. `Use::Train` gives all rows
/// (Train, Dev and Test) of the sets that may train the model; `Use::Eval` the
/// evaluation-only sets (all Test).
pub fn load_all(root: &Path, which: Use) -> Result<Vec<Example>> {
    let mut out = Vec::new();
    for d in DATASETS.iter().filter(|d| d.usage == which) {
        out.extend(load(d.name, root)?);
    }
    Ok(out)
}

/// The corpora folder from `$COMMENTGUARD_DATA`, if set.
pub fn data_root_from_env() -> Option<std::path::PathBuf> {
    std::env::var_os("COMMENTGUARD_DATA").map(std::path::PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_split_is_stable_and_case_blind() {
        let a = seeded_split("x", "Some Text ", 100, 100);
        assert_eq!(a, seeded_split("x", "some text", 100, 100));
        // The exact per-set figures are pinned by tests/datasets.rs (and datasets/README.md).
        let mut counts = [0usize; 3];
        for i in 0..10_000 {
            match seeded_split("golden", &format!("row {i}"), 100, 100) {
                Split::Test => counts[2] += 1,
                Split::Dev => counts[1] += 1,
                Split::Train => counts[0] += 1,
            }
        }
        assert!(counts[2] > 900 && counts[2] < 1100, "{counts:?}");
        assert!(counts[1] > 900 && counts[1] < 1100, "{counts:?}");
        assert_eq!(counts.iter().sum::<usize>(), 10_000);
    }

    #[test]
    fn unknown_name_is_an_error() {
        let e = load("nope", Path::new("/nonexistent")).err().unwrap();
        assert!(e.to_string().contains("davidson2017"), "{e}");
    }

    #[test]
    fn example_labels() {
        let mut e = Example::new("t", "x", Split::Train);
        assert_eq!(e.label(Label::Threat), None);
        e.set(Label::Threat, true);
        assert_eq!(e.label(Label::Threat), Some(true));
        assert_eq!(e.labels.iter().filter(|l| l.is_some()).count(), 1);
    }
}
