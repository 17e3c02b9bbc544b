//! A blog's comment hook: score each new comment before it is published.
//!
//! `cargo run --example comment_hook -- "text of the new comment"`

use commentguard::{Action, Moderator};

fn main() -> Result<(), commentguard::Error> {
    // Load once at start-up and share (Moderator is Send + Sync and cheap to clone).
    let moderator = Moderator::default_model()?;
    let text = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Thanks for writing this, it helped me a lot.".to_string());
    let verdict = moderator.score(&text);
    match verdict.action {
        Action::Allow => println!("publish"),
        Action::Review => println!("hold for a moderator"),
        _ => println!("reject"),
    }
    for r in &verdict.reasons {
        println!(
            "  {}: {:?} at bytes {}..{}",
            r.label, r.text, r.start, r.end
        );
    }
    Ok(())
}
