//! Grouping records by a key in bounded memory, for formats whose records of one thread are
//! scattered through the file (Disqus posts; flat archives grouped by link id).
//!
//! Records are held in memory up to a byte budget. Past it they are spilled, in input order,
//! to [`PARTS`] temporary files partitioned by a hash of their group; at the end each
//! partition is grouped in memory (a partition still over budget is split again with another
//! hash seed, unless it holds one group only) and its groups, sorted by their key, are
//! written as one sorted run. The runs are then merged by key, reading one group at a time.
//!
//! Peak memory is therefore about the budget plus the largest group, whatever the input size.
//! The output is identical with and without spilling: within a group, records keep input
//! order; groups come out sorted by the caller's key, which must be unique per group (it
//! usually contains a sequence number).

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Partitions per split.
const PARTS: usize = 16;
/// Splits deeper than this stop (16^6 partitions); the partition is grouped as it is.
const MAX_LEVEL: u64 = 6;

/// A record that can be grouped and spilled.
pub(crate) trait Record: Serialize + DeserializeOwned {
    /// The group (thread) the record belongs to.
    fn group(&self) -> &str;
    /// Approximate bytes the record holds in memory (strings plus a fixed overhead).
    fn heap_bytes(&self) -> usize;
}

/// Orders groups. Must be unique per group so that the order is total.
pub(crate) type GroupKey = (u64, u64);

/// Collects records (see the module documentation).
pub(crate) struct Grouper<R> {
    budget: usize,
    key: fn(&[R]) -> GroupKey,
    mem: Vec<R>,
    mem_bytes: usize,
    parts: Option<Vec<Part>>,
}

/// One partition file being written.
struct Part {
    out: BufWriter<File>,
    bytes: u64,
    /// The group of the first record, and whether any other group followed.
    first: Option<String>,
    mixed: bool,
}

impl Part {
    fn new() -> Result<Part> {
        Ok(Part {
            out: BufWriter::new(tempfile::tempfile()?),
            bytes: 0,
            first: None,
            mixed: false,
        })
    }
    fn write<R: Record>(&mut self, r: &R) -> Result<()> {
        match &self.first {
            None => self.first = Some(r.group().to_string()),
            Some(g) if !self.mixed && g != r.group() => self.mixed = true,
            _ => {}
        }
        let mut line = serde_json::to_vec(r).map_err(spill_error)?;
        line.push(b'\n');
        self.out.write_all(&line)?;
        self.bytes += line.len() as u64;
        Ok(())
    }
    /// The finished file, rewound.
    fn into_file(self) -> Result<File> {
        let mut f = self.out.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(0))?;
        Ok(f)
    }
}

fn spill_error(e: serde_json::Error) -> Error {
    Error::from(std::io::Error::other(format!("temporary spill file: {e}")))
}

fn part_of(group: &str, level: u64) -> usize {
    (xxhash_rust::xxh3::xxh3_64_with_seed(group.as_bytes(), level) % PARTS as u64) as usize
}

impl<R: Record> Grouper<R> {
    /// A grouper holding at most about `budget` bytes of records in memory.
    pub(crate) fn new(budget: usize, key: fn(&[R]) -> GroupKey) -> Grouper<R> {
        Grouper {
            budget,
            key,
            mem: Vec::new(),
            mem_bytes: 0,
            parts: None,
        }
    }

    /// Adds a record; spills when the budget is reached.
    pub(crate) fn push(&mut self, r: R) -> Result<()> {
        let n = r.heap_bytes();
        if !self.mem.is_empty() && self.mem_bytes + n > self.budget {
            self.spill()?;
        }
        self.mem_bytes += n;
        self.mem.push(r);
        Ok(())
    }

    /// True once records have gone to temporary files.
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> bool {
        self.parts.is_some()
    }

    fn spill(&mut self) -> Result<()> {
        if self.parts.is_none() {
            self.parts = Some((0..PARTS).map(|_| Part::new()).collect::<Result<_>>()?);
        }
        let parts = self.parts.as_mut().expect("created above");
        for r in self.mem.drain(..) {
            parts[part_of(r.group(), 0)].write(&r)?;
        }
        self.mem_bytes = 0;
        Ok(())
    }

    /// All groups, sorted by key.
    pub(crate) fn finish(mut self) -> Result<Groups<R>> {
        if self.parts.is_none() {
            let groups = group_sorted(std::mem::take(&mut self.mem), self.key);
            return Ok(Groups::Memory(groups.into_iter()));
        }
        self.spill()?;
        let parts = self.parts.take().expect("spilled");
        let mut runs = Runs {
            out: BufWriter::new(tempfile::tempfile()?),
            at: 0,
            ranges: Vec::new(),
        };
        // An explicit stack of (partition, level): no recursion.
        let mut stack: Vec<(Part, u64)> = parts.into_iter().rev().map(|p| (p, 0)).collect();
        while let Some((part, level)) = stack.pop() {
            if part.bytes == 0 {
                continue;
            }
            let split = part.bytes > self.budget as u64 && part.mixed && level < MAX_LEVEL;
            let file = part.into_file()?;
            if split {
                let mut children = (0..PARTS)
                    .map(|_| Part::new())
                    .collect::<Result<Vec<_>>>()?;
                for r in read_records::<R>(file) {
                    let r = r?;
                    children[part_of(r.group(), level + 1)].write(&r)?;
                }
                stack.extend(children.into_iter().rev().map(|p| (p, level + 1)));
            } else {
                let records = read_records::<R>(file).collect::<Result<Vec<R>>>()?;
                runs.write_run(group_sorted(records, self.key))?;
            }
        }
        Merge::new(runs).map(Groups::Disk)
    }
}

/// Groups records by group (input order kept within a group) and sorts the groups by key.
fn group_sorted<R: Record>(records: Vec<R>, key: fn(&[R]) -> GroupKey) -> Vec<(GroupKey, Vec<R>)> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<R>> = Vec::new();
    for r in records {
        let i = match index.get(r.group()) {
            Some(&i) => i,
            None => {
                index.insert(r.group().to_string(), groups.len());
                groups.push(Vec::new());
                groups.len() - 1
            }
        };
        groups[i].push(r);
    }
    let mut keyed: Vec<(GroupKey, Vec<R>)> = groups.into_iter().map(|g| (key(&g), g)).collect();
    keyed.sort_by_key(|(k, _)| *k);
    keyed
}

fn read_records<R: Record>(file: impl Read) -> impl Iterator<Item = Result<R>> {
    serde_json::Deserializer::from_reader(BufReader::new(file))
        .into_iter::<R>()
        .map(|r| r.map_err(spill_error))
}

/// The sorted runs, all in one temporary file: per group a 24-byte header (key, payload
/// length) and the records as JSON lines.
struct Runs {
    out: BufWriter<File>,
    at: u64,
    /// (start, end) of each run.
    ranges: Vec<(u64, u64)>,
}

impl Runs {
    fn write_run<R: Record>(&mut self, groups: Vec<(GroupKey, Vec<R>)>) -> Result<()> {
        let start = self.at;
        let mut payload = Vec::new();
        for (key, records) in groups {
            payload.clear();
            for r in records {
                serde_json::to_writer(&mut payload, &r).map_err(spill_error)?;
                payload.push(b'\n');
            }
            self.out.write_all(&key.0.to_le_bytes())?;
            self.out.write_all(&key.1.to_le_bytes())?;
            self.out.write_all(&(payload.len() as u64).to_le_bytes())?;
            self.out.write_all(&payload)?;
            self.at += 24 + payload.len() as u64;
        }
        self.ranges.push((start, self.at));
        Ok(())
    }
}

/// A k-way merge of the runs by key; one group is read at a time.
pub(crate) struct Merge<R> {
    file: File,
    /// Per run: next header position and end.
    runs: Vec<(u64, u64)>,
    /// (key, run, payload length) of each run's next group.
    heap: BinaryHeap<Reverse<(GroupKey, usize, u64)>>,
    _records: std::marker::PhantomData<fn() -> R>,
}

impl<R: Record> Merge<R> {
    fn new(runs: Runs) -> Result<Merge<R>> {
        let mut file = runs.out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        let mut m = Merge {
            file,
            runs: runs.ranges,
            heap: BinaryHeap::new(),
            _records: std::marker::PhantomData,
        };
        for i in 0..m.runs.len() {
            m.advance(i)?;
        }
        Ok(m)
    }

    /// Reads the header of run `i`'s next group into the heap.
    fn advance(&mut self, i: usize) -> Result<()> {
        let (at, end) = self.runs[i];
        if at >= end {
            return Ok(());
        }
        let mut h = [0u8; 24];
        self.file.seek(SeekFrom::Start(at))?;
        self.file.read_exact(&mut h)?;
        let word = |k: usize| u64::from_le_bytes(h[k * 8..k * 8 + 8].try_into().expect("8 bytes"));
        self.heap.push(Reverse(((word(0), word(1)), i, word(2))));
        Ok(())
    }

    fn next_group(&mut self) -> Option<Result<Vec<R>>> {
        let Reverse((_, i, len)) = self.heap.pop()?;
        let r = (|| {
            let at = self.runs[i].0 + 24;
            self.file.seek(SeekFrom::Start(at))?;
            let records = read_records::<R>((&mut self.file).take(len)).collect::<Result<_>>()?;
            self.runs[i].0 = at + len;
            self.advance(i)?;
            Ok(records)
        })();
        Some(r)
    }
}

/// The groups, sorted by key: from memory, or merged from the spilled runs.
pub(crate) enum Groups<R> {
    /// Nothing was spilled.
    Memory(std::vec::IntoIter<(GroupKey, Vec<R>)>),
    /// Merged from temporary files.
    Disk(Merge<R>),
}

impl<R: Record> Iterator for Groups<R> {
    type Item = Result<Vec<R>>;
    fn next(&mut self) -> Option<Result<Vec<R>>> {
        match self {
            Groups::Memory(it) => it.next().map(|(_, g)| Ok(g)),
            Groups::Disk(m) => m.next_group(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Rec {
        seq: u64,
        group: String,
        body: String,
    }

    impl Record for Rec {
        fn group(&self) -> &str {
            &self.group
        }
        fn heap_bytes(&self) -> usize {
            64 + self.group.len() + self.body.len()
        }
    }

    fn first_seq(g: &[Rec]) -> GroupKey {
        (0, g[0].seq)
    }

    fn run(budget: usize, records: &[Rec]) -> (bool, Vec<Vec<Rec>>) {
        let mut g = Grouper::new(budget, first_seq);
        for r in records {
            g.push(r.clone()).unwrap();
        }
        let spilled = g.spilled();
        (spilled, g.finish().unwrap().map(Result::unwrap).collect())
    }

    #[test]
    fn spilled_output_equals_in_memory_output() {
        // 300 groups, records interleaved pseudo-randomly; one group much larger than the budget.
        let mut records = Vec::new();
        let mut x: u64 = 7;
        for seq in 0..6000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let g = if seq % 5 == 0 { 999 } else { (x >> 33) % 300 };
            records.push(Rec {
                seq,
                group: format!("g{g}"),
                body: "é\"x\n".repeat((x % 7) as usize),
            });
        }
        let (spilled, small) = run(2_000, &records);
        assert!(spilled);
        let (spilled, big) = run(usize::MAX, &records);
        assert!(!spilled);
        assert_eq!(small, big);
        assert_eq!(big.len(), 301);
        assert_eq!(big.iter().map(Vec::len).sum::<usize>(), 6000);
        for g in &big {
            assert!(g
                .windows(2)
                .all(|w| w[0].seq < w[1].seq && w[0].group == w[1].group));
        }
        assert!(big.windows(2).all(|w| w[0][0].seq < w[1][0].seq));
    }

    #[test]
    fn empty_input() {
        assert!(run(0, &[]).1.is_empty());
    }
}
