//! The versioned on-disk model bundle.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | what |
//! |---|---|
//! | 8 | magic `\x89CGMODEL` |
//! | 4 | format version (`u32`, [`FORMAT_VERSION`]) |
//! | 8 | total file length in bytes (`u64`), checksum included |
//! | 4 + n | header length (`u32`) and the JSON header: model card, feature-space config, labels, per-label scales, biases, thresholds, calibrators |
//! | 4 | number of sections (`u32`) |
//! | per section | name length (`u16`), UTF-8 name, data length (`u64`), data |
//! | 32 | SHA-256 of every byte before it |
//!
//! Sections: `weights` (required: bucket-major quantised weights) and optionally
//! `tokenizer.json`; other names are kept as they are. Loading checks, in order, the length,
//! magic, version, declared length, checksum, header, sections and label set, and fails with
//! `ErrorKind::Model` naming what was wrong — a damaged file never yields scores.

use super::calibration::Calibrator;
use super::label::Label;
use super::linear::{check_labels, LinearModel, Quantization, Weights};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The first eight bytes of every bundle.
pub const MAGIC: [u8; 8] = *b"\x89CGMODEL";
/// The bundle format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const FIXED: usize = 8 + 4 + 8;
const SUM: usize = 32;

/// Held-out figures for one label on one split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitFigures {
    /// Data set name.
    pub dataset: String,
    /// Split name (`dev`, `test`, ...).
    pub split: String,
    /// The label scored.
    pub label: Label,
    /// Rows in the split carrying this label.
    pub rows: u64,
    /// Positive rows.
    pub positives: u64,
    /// ROC AUC, when defined.
    #[serde(default)]
    pub roc_auc: Option<f64>,
    /// Average precision, when defined.
    #[serde(default)]
    pub average_precision: Option<f64>,
    /// Precision at the model's threshold.
    pub precision: f64,
    /// Recall at the model's threshold.
    pub recall: f64,
    /// F1 at the model's threshold.
    pub f1: f64,
    /// The threshold used.
    pub threshold: f32,
}

/// What a model is and how it was made: the model card, kept in the bundle's header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelCard {
    /// A short name.
    pub name: String,
    /// When it was trained (RFC 3339, set by the caller).
    pub created: String,
    /// The command line that trained it.
    pub command_line: Vec<String>,
    /// Named seeds (split, shuffle, folds, ...).
    pub seeds: BTreeMap<String, u64>,
    /// Checksums of the training data, by file or data set name.
    pub data_checksums: BTreeMap<String, String>,
    /// Held-out figures per data set, split and label.
    pub splits: Vec<SplitFigures>,
    /// Free-form notes (known gaps, intended use).
    pub notes: Vec<String>,
}

/// A trained model with everything needed to use and describe it.
///
/// ```
/// use commentguard::model::{Bundle, Label, LinearModel, ModelCard, Quantization, SparseLogistic};
/// let fitted = SparseLogistic { weights: vec![0.0, 2.0, -1.0], bias: -0.5 };
/// let model = LinearModel::from_models(&[Label::Slur], &[fitted], 3, Quantization::I8)?;
/// let bundle = Bundle::new(ModelCard::default(), serde_json::json!({"buckets": 3}), model);
/// let bytes = bundle.to_bytes()?;
/// assert_eq!(Bundle::from_bytes(&bytes)?, bundle);
/// let mut damaged = bytes.clone();
/// damaged[40] ^= 1;
/// let err = Bundle::from_bytes(&damaged).unwrap_err();
/// assert!(matches!(err.kind(), commentguard::ErrorKind::Model { .. }));
/// # Ok::<(), commentguard::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// The model card.
    pub card: ModelCard,
    /// The feature-space configuration, opaque here: the features module writes and reads it.
    pub feature_space: serde_json::Value,
    /// The per-label linear model.
    pub model: LinearModel,
    /// A `tokenizer.json` (Hugging Face tokenizers) when the features use a subword vocabulary.
    pub tokenizer_json: Option<Vec<u8>>,
    /// Other named sections, kept as they are.
    pub sections: BTreeMap<String, Vec<u8>>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    card: ModelCard,
    feature_space: serde_json::Value,
    labels: Vec<String>,
    n_buckets: u64,
    quantization: String,
    scales: Vec<f32>,
    biases: Vec<f32>,
    thresholds: Vec<f32>,
    calibrators: Vec<Calibrator>,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::model(msg)
}

impl Bundle {
    /// A bundle with no tokenizer and no extra sections.
    pub fn new(card: ModelCard, feature_space: serde_json::Value, model: LinearModel) -> Bundle {
        Bundle {
            card,
            feature_space,
            model,
            tokenizer_json: None,
            sections: BTreeMap::new(),
        }
    }

    /// The bundle's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let m = &self.model;
        let header = Header {
            card: self.card.clone(),
            feature_space: self.feature_space.clone(),
            labels: m.labels.iter().map(|l| l.name().to_string()).collect(),
            n_buckets: m.n_buckets as u64,
            quantization: m.quantization().name().to_string(),
            scales: m.scales.clone(),
            biases: m.biases.clone(),
            thresholds: m.thresholds.clone(),
            calibrators: m.calibrators.clone(),
        };
        let json =
            serde_json::to_vec(&header).map_err(|e| bad(format!("cannot encode header: {e}")))?;
        let weights: Vec<u8> = match &m.weights {
            Weights::I8(w) => w.iter().map(|v| *v as u8).collect(),
            Weights::I16(w) => w.iter().flat_map(|v| v.to_le_bytes()).collect(),
        };
        let mut sections: Vec<(&str, &[u8])> = vec![("weights", &weights)];
        if let Some(t) = &self.tokenizer_json {
            sections.push(("tokenizer.json", t));
        }
        for (name, data) in &self.sections {
            if name == "weights" || name == "tokenizer.json" {
                return Err(bad(format!("section name {name:?} is reserved")));
            }
            sections.push((name, data));
        }
        let mut out = Vec::with_capacity(FIXED + json.len() + weights.len() + 256);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes()); // total length, filled below
        let hlen = u32::try_from(json.len()).map_err(|_| bad("header too large"))?;
        out.extend_from_slice(&hlen.to_le_bytes());
        out.extend_from_slice(&json);
        out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
        for (name, data) in sections {
            let n = u16::try_from(name.len()).map_err(|_| bad("section name too long"))?;
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(data.len() as u64).to_le_bytes());
            out.extend_from_slice(data);
        }
        let total = (out.len() + SUM) as u64;
        out[12..20].copy_from_slice(&total.to_le_bytes());
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        Ok(out)
    }

    /// Writes the bundle to `path` atomically: a temporary file in the same folder, flushed,
    /// then renamed over `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = self.to_bytes()?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let write = || -> std::io::Result<()> {
            let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
            tmp.write_all(&bytes)?;
            tmp.as_file().sync_all()?;
            // tempfile creates 0600; a model file is ordinary data (0644 before the umask).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                tmp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644))?;
            }
            tmp.persist(path).map_err(|e| e.error)?;
            Ok(())
        };
        write().map_err(|e| Error::from(e).in_file(path))
    }

    /// Reads and checks a bundle file.
    pub fn load(path: impl AsRef<Path>) -> Result<Bundle> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::from(e).in_file(path))?;
        Bundle::from_bytes(&bytes).map_err(|e| e.in_file(path))
    }

    /// Parses and checks a bundle's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Bundle> {
        if bytes.len() < FIXED + 4 + 4 + SUM {
            return Err(bad(format!(
                "file too short to be a model bundle ({} bytes)",
                bytes.len()
            ))
            .at_byte(bytes.len() as u64));
        }
        if bytes[..8] != MAGIC {
            return Err(bad("not a commentguard model bundle (bad magic bytes)").at_byte(0));
        }
        let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if version != FORMAT_VERSION {
            return Err(bad(format!(
                "unsupported model format version {version} (this build reads version {FORMAT_VERSION})"
            ))
            .at_byte(8));
        }
        let mut total = [0u8; 8];
        total.copy_from_slice(&bytes[12..20]);
        let total = u64::from_le_bytes(total);
        if total != bytes.len() as u64 {
            let what = if (bytes.len() as u64) < total {
                "truncated"
            } else {
                "has trailing bytes"
            };
            return Err(bad(format!(
                "file {what}: header says {total} bytes, found {}",
                bytes.len()
            ))
            .at_byte(12));
        }
        let (body, sum) = bytes.split_at(bytes.len() - SUM);
        if Sha256::digest(body).as_slice() != sum {
            return Err(bad("checksum mismatch: the file is damaged").at_byte(body.len() as u64));
        }
        let mut cur = Cursor {
            b: body,
            pos: FIXED,
        };
        let hlen = cur.u32()? as usize;
        let hpos = cur.pos;
        let header: Header = serde_json::from_slice(cur.take(hlen)?)
            .map_err(|e| bad(format!("invalid header: {e}")).at_byte(hpos as u64))?;
        let n_sections = cur.u32()?;
        let mut sections: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for _ in 0..n_sections {
            let nlen = cur.u16()? as usize;
            let npos = cur.pos;
            let name = std::str::from_utf8(cur.take(nlen)?)
                .map_err(|_| bad("section name is not UTF-8").at_byte(npos as u64))?
                .to_string();
            let dlen = usize::try_from(cur.u64()?).map_err(|_| bad("section too large"))?;
            let data = cur.take(dlen)?.to_vec();
            if sections.insert(name.clone(), data).is_some() {
                return Err(bad(format!("section {name:?} appears twice")).at_byte(npos as u64));
            }
        }
        if cur.pos != body.len() {
            return Err(bad("unexpected bytes after the last section").at_byte(cur.pos as u64));
        }
        let model = build_model(&header, sections.remove("weights"))?;
        let tokenizer_json = sections.remove("tokenizer.json");
        Ok(Bundle {
            card: header.card,
            feature_space: header.feature_space,
            model,
            tokenizer_json,
            sections,
        })
    }
}

fn build_model(h: &Header, weights: Option<Vec<u8>>) -> Result<LinearModel> {
    let labels: Vec<Label> = h
        .labels
        .iter()
        .map(|s| {
            s.parse::<Label>()
                .map_err(|_| bad(format!("unknown label {s:?} in the model")))
        })
        .collect::<Result<_>>()?;
    check_labels(&labels).map_err(|e| bad(format!("bad label set: {e}")))?;
    let nl = labels.len();
    for (what, len) in [
        ("scales", h.scales.len()),
        ("biases", h.biases.len()),
        ("thresholds", h.thresholds.len()),
        ("calibrators", h.calibrators.len()),
    ] {
        if len != nl {
            return Err(bad(format!("{len} {what} for {nl} labels")));
        }
    }
    if h.scales.iter().chain(&h.biases).any(|v| !v.is_finite())
        || h.scales.iter().any(|s| *s <= 0.0)
        || h.thresholds.iter().any(|t| !(0.0..=1.0).contains(t))
    {
        return Err(bad("scales, biases or thresholds out of range"));
    }
    let q = Quantization::from_name(&h.quantization)
        .ok_or_else(|| bad(format!("unknown quantization {:?}", h.quantization)))?;
    let n_buckets = usize::try_from(h.n_buckets).map_err(|_| bad("n_buckets too large"))?;
    let expected = n_buckets
        .checked_mul(nl)
        .and_then(|n| n.checked_mul(q.bytes()))
        .ok_or_else(|| bad("n_buckets too large"))?;
    let w = weights.ok_or_else(|| bad("the weights section is missing"))?;
    if w.len() != expected {
        return Err(bad(format!(
            "weights section has {} bytes, expected {expected} ({n_buckets} buckets × {nl} labels × {} bytes)",
            w.len(),
            q.bytes()
        )));
    }
    let weights = match q {
        Quantization::I8 => Weights::I8(w.iter().map(|b| *b as i8).collect()),
        Quantization::I16 => Weights::I16(
            w.chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect(),
        ),
    };
    let model = LinearModel {
        labels,
        n_buckets,
        weights,
        scales: h.scales.clone(),
        biases: h.biases.clone(),
        thresholds: h.thresholds.clone(),
        calibrators: Vec::new(),
    };
    model
        .with_calibrators(h.calibrators.clone())
        .map_err(|e| bad(format!("bad calibrators: {e}")))
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len());
        match end {
            Some(e) => {
                let s = &self.b[self.pos..e];
                self.pos = e;
                Ok(s)
            }
            None => Err(
                bad(format!("a length field points past the end ({n} bytes)"))
                    .at_byte(self.pos as u64),
            ),
        }
    }
    fn u16(&mut self) -> Result<u16> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
}
