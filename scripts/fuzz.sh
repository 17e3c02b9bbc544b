#!/usr/bin/env bash
# Long fuzz runs: every cargo-fuzz target in fuzz/ for SECONDS each (default 300), one after
# another (the machine is shared). Works on the stable toolchain: RUSTC_BOOTSTRAP=1 lets
# cargo-fuzz pass its flags, and `-s none` skips the sanitizers (the library forbids unsafe
# code; libFuzzer's coverage guidance is what matters here).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# New inputs go to fuzz/corpus-work/<target> (not kept); the seeds in fuzz/corpus/<target>
# are read, never written. A crash leaves the input in
# fuzz/artifacts/<target>/ (runs go on after a crash, in libFuzzer's fork mode, so one known
# bug does not hide the next); reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a -O TARGET fuzz/artifacts/TARGET/crash-...
# and add it to tests/hostile.rs as a regression test. Set COMMENTGUARD_FUZZ_POSITIONS=1 to
# also fail on reader errors that carry no position. Needs `cargo install cargo-fuzz`.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(read read_auto normalize lexicon score)
fi
export RUSTC_BOOTSTRAP=1
flags=(-s none -a -O)
cargo fuzz build "${flags[@]}" || exit 1
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus-work/$t" "corpus/$t"
  echo "== $t: ${secs}s"
  if ! cargo fuzz run "${flags[@]}" "$t" "corpus-work/$t" "corpus/$t" -- \
      -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1 2>&1 | grep -v -E '^#[0-9]+.*(NEW|REDUCE|RELOAD)'; then
    status=1
  fi
  [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ] && { echo "!! $t left artifacts in fuzz/artifacts/$t"; status=1; }
done
exit $status
