//! Progress bars on standard error (drawn only when it is a terminal).

use commentguard::train::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Mutex;

/// An indicatif bar behind the library's `Progress` trait.
pub struct Bars {
    bar: Mutex<Option<ProgressBar>>,
    quiet: bool,
}

impl Bars {
    /// Bars on stderr; `quiet` hides messages too.
    pub fn new(quiet: bool) -> Bars {
        Bars {
            bar: Mutex::new(None),
            quiet,
        }
    }
    /// Ends the current bar.
    pub fn finish(&self) {
        if let Some(b) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bars {
    fn stage(&self, name: &str, total: u64) {
        let mut g = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = g.take() {
            b.finish_and_clear();
        }
        let b = if total > 0 {
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        };
        let style = if total > 0 {
            ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
        } else {
            ProgressStyle::with_template("{msg:24} {spinner} {elapsed}")
        };
        if let Ok(s) = style {
            b.set_style(s.progress_chars("=> "));
        }
        b.set_message(name.to_string());
        if total == 0 {
            b.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        *g = Some(b);
        if !self.quiet && !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!("{name}…");
        }
    }
    fn advance(&self, n: u64) {
        if let Some(b) = &*self.bar.lock().unwrap_or_else(|e| e.into_inner()) {
            b.inc(n);
        }
    }
    fn message(&self, msg: &str) {
        if self.quiet {
            return;
        }
        match &*self.bar.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(b) if !b.is_hidden() => b.println(msg),
            _ => eprintln!("{msg}"),
        }
    }
}
