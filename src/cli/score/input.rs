//! Opening the inputs through a byte counter, and the progress bar it feeds (drawn on standard
//! error only when it is a terminal).

use commentguard::{formats, Format, ReadOptions, Threads};
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A reader that adds the bytes it reads to a shared counter.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Progress over the whole run: by bytes read when every input's size is known (regular
/// files), else a spinner; the message counts comments and their rate.
pub struct Progress {
    bar: ProgressBar,
    read: Arc<AtomicU64>,
    comments: u64,
    t0: Instant,
    last: Instant,
}

impl Progress {
    /// A bar for these inputs; hidden when `quiet` or when standard error is not a terminal.
    pub fn new(files: &[PathBuf], quiet: bool) -> Progress {
        let total: Option<u64> = files
            .iter()
            .map(|f| {
                if f == Path::new("-") {
                    return None;
                }
                std::fs::metadata(f)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
            })
            .sum();
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(total, target);
        let style = match total {
            Some(_) => ProgressStyle::with_template(
                "[{bar:32}] {bytes}/{total_bytes} {msg} ({elapsed}, eta {eta})",
            ),
            None => ProgressStyle::with_template("{spinner} {bytes} read, {msg} ({elapsed})"),
        };
        if let Ok(s) = style {
            bar.set_style(s.progress_chars("=> "));
        }
        if total.is_none() {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        let now = Instant::now();
        Progress {
            bar,
            read: Arc::new(AtomicU64::new(0)),
            comments: 0,
            t0: now,
            last: now,
        }
    }

    /// Opens one input (`-` is standard input) through the byte counter.
    pub fn open(
        &mut self,
        file: &Path,
        format: Option<Format>,
        options: ReadOptions,
    ) -> commentguard::Result<Threads> {
        if file == Path::new("-") {
            let r = Counting {
                inner: std::io::stdin(),
                read: Arc::clone(&self.read),
            };
            return formats::read(r, None, format, options);
        }
        let f =
            std::fs::File::open(file).map_err(|e| commentguard::Error::from(e).in_file(file))?;
        let r = Counting {
            inner: f,
            read: Arc::clone(&self.read),
        };
        formats::read(r, Some(file), format, options)
    }

    /// Counts `n` more comments scored; redraws at most ten times a second.
    pub fn advance(&mut self, n: u64) {
        self.comments += n;
        if self.bar.is_hidden() || self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        let rate = self.comments as f64 / self.t0.elapsed().as_secs_f64().max(1e-9);
        self.bar.set_position(self.read.load(Ordering::Relaxed));
        self.bar.set_message(format!(
            "{} comments, {}/s",
            HumanCount(self.comments),
            HumanCount(rate as u64)
        ));
    }

    /// Removes the bar (before the summary is printed).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
