//! Print every lexicon hit in a text file, one TSV row per hit: the false-hit check for new
//! lexicon entries (which terms hit ordinary text, and in what context).
//!
//! `cargo run --release --example lexicon_hits -- TEXTS.txt [LEXICON_DIR] > hits.tsv`
//!
//! `TEXTS.txt` holds one text per line. Without `LEXICON_DIR` the built-in lexicon is used;
//! with it, every `*.tsv` file in that folder ([`Lexicon::from_dir`]). Output columns: line
//! number, term, category, group or kind, flags, the matched text, and up to 40 bytes of
//! context on each side (tabs and newlines replaced by spaces).

use std::io::{BufRead, BufWriter, Write};

use commentguard::lexicon::Lexicon;
use commentguard::text::normalize;

/// The largest char boundary of `s` at or below `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or above `i`.
fn ceil(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: lexicon_hits TEXTS.txt [LEXICON_DIR]");
        std::process::exit(2);
    };
    let lex = match args.next() {
        Some(dir) => Lexicon::from_dir(dir)?,
        None => Lexicon::builtin()?,
    };
    let file = std::io::BufReader::new(std::fs::File::open(&path)?);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (i, line) in file.lines().enumerate() {
        let text = line?;
        let norm = normalize(&text);
        for h in lex.find(&norm) {
            let Some(e) = lex.entry(h.entry) else {
                continue;
            };
            let r = h.original.clone();
            let (a, b) = (
                floor(&text, r.start.saturating_sub(40)),
                ceil(&text, r.end + 40),
            );
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                i + 1,
                e.term,
                e.category,
                e.kind,
                e.flags,
                clean(text.get(r.clone()).unwrap_or("")),
                clean(&text[a..b]),
            )?;
        }
    }
    out.flush()?;
    Ok(())
}
