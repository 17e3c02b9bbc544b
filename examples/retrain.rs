//! Retrain on your own moderation decisions: a CSV with `text` and label columns.
//!
//! `cargo run --release --example retrain -- my-labels.csv my-site.cgm`
//! (without arguments it writes a small demo file to a temporary folder and trains on it).

use commentguard::model::Bundle;
use commentguard::train::{train, Silent, TrainConfig};
use commentguard::{Moderator, Policy};
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (data, out) = match args.as_slice() {
        [d, o, ..] => (d.into(), o.into()),
        _ => {
            let p = dir.path().join("labels.csv");
            let mut f = std::fs::File::create(&p)?;
            writeln!(f, "text,toxic,insult")?;
            for i in 0..50 {
                writeln!(f, "\"you are a clueless troll {i}\",1,1")?;
                writeln!(f, "\"what a pathetic loser, {i} times over\",1,1")?;
                writeln!(f, "\"great write-up, thanks ({i})\",0,0")?;
                writeln!(
                    f,
                    "\"I disagree with point {i} but it was well argued\",0,0"
                )?;
            }
            (p, dir.path().join("site.cgm"))
        }
    };
    let mut cfg = TrainConfig::default();
    cfg.user_files = vec![data];
    let trained = train(&cfg, &Silent)?;
    trained.bundle.save(&out)?;
    println!(
        "wrote {} ({} rows per split: {:?})",
        out.display(),
        trained.rows.len(),
        trained.rows
    );
    let m = Moderator::from_bundle(Bundle::load(&out)?, Policy::default())?;
    let v = m.score("you are a pathetic troll");
    println!(
        "\"you are a pathetic troll\" -> {:?} {:?}",
        v.action, v.flags
    );
    Ok(())
}
