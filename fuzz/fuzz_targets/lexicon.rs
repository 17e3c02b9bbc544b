//! Fuzz target `lexicon`: see `fuzz_lexicon` in tests/hostile/checks.rs for what is checked.
#![no_main]

#[path = "../../tests/hostile/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::fuzz_lexicon(data));
