//! Fuzz target `read_auto`: see `fuzz_read_auto` in tests/hostile/checks.rs for what is checked.
#![no_main]

#[path = "../../tests/hostile/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::fuzz_read_auto(data));
