//! Score a whole archive (any supported format) and print one JSON line per flagged comment.
//!
//! `cargo run --example score_archive -- export.xml`

use commentguard::{read_path, Moderator, ReadOptions};

fn main() -> Result<(), commentguard::Error> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/data/sample-thread.txt"
        )
        .to_string()
    });
    let moderator = Moderator::default_model()?;
    let (mut comments, mut flagged) = (0, 0);
    for thread in read_path(path.as_ref(), None, ReadOptions::default())? {
        let thread = thread?;
        // Walk order; quoted passages are scored apart from each commenter's own words.
        let verdicts = moderator.score_thread(&thread);
        for (visit, verdict) in thread.walk().zip(&verdicts) {
            comments += 1;
            if verdict.is_hateful() {
                flagged += 1;
                println!(
                    "{{\"thread\":{:?},\"id\":{:?},\"depth\":{},\"flags\":{:?}}}",
                    thread.id,
                    visit.comment.id,
                    visit.depth,
                    verdict.flags.iter().map(|l| l.name()).collect::<Vec<_>>()
                );
            }
        }
    }
    eprintln!("{comments} comments, {flagged} hateful");
    Ok(())
}
