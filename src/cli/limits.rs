//! Reader limits on the command line (`--max-comment-bytes` ...), shared by `threads` and
//! `score`. Defaults are [`ReadOptions::default`]'s.

use commentguard::ReadOptions;

/// The settable reader limits. Sizes take a plain byte count or a binary suffix (`16M`,
/// `512MiB`, `64K`, `1G`).
#[derive(clap::Args, Debug, Clone)]
pub struct LimitArgs {
    /// Largest comment body accepted; a larger one is an error record naming the comment.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "16MiB")]
    max_comment_bytes: usize,
    /// Largest file read whole by the formats that cannot stream (Reddit, HN, Commento,
    /// Remark42 tree, Isso, Activity Streams, scraped pages).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "512MiB")]
    max_document_bytes: usize,
    /// Most comments in one thread.
    #[arg(long, value_name = "N", default_value_t = ReadOptions::default().max_comments_per_thread)]
    max_comments_per_thread: usize,
    /// Memory Disqus grouping may use before spilling to temporary files.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "64MiB")]
    memory_budget: usize,
    /// Disqus: fail on malformed XML instead of repairing it (repairs are noted by default).
    #[arg(long)]
    strict: bool,
}

impl LimitArgs {
    /// The reader options these flags describe.
    pub fn options(&self) -> ReadOptions {
        let mut o = ReadOptions::default();
        o.max_comment_bytes = self.max_comment_bytes;
        o.max_document_bytes = self.max_document_bytes;
        o.max_comments_per_thread = self.max_comments_per_thread;
        o.memory_budget = self.memory_budget;
        o.lenient = !self.strict;
        o
    }
}

/// `1048576`, `64K`, `16M`, `16MiB`, `1G` (binary multiples, case-blind).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: usize = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 1048576, 64K, 16M, 1G)"))?;
    let mult: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("{s:?}: unknown unit {unit:?} (use K, M or G)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("{s:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
