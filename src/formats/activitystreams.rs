//! Reader for the `activitystreams` format (not written yet).

use super::{not_yet, Format, Input, Threads};

/// Does the start of the input look like this format?
pub(crate) fn sniff(_head: &[u8]) -> bool {
    false
}

/// Reads the input into threads.
pub(crate) fn read(input: Input) -> Threads {
    not_yet(Format::ActivityStreams, &input)
}
