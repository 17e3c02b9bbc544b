#!/bin/sh
# Peer benchmarks (issue 4): speed and ROC AUC side by side, same run, same texts.
#
#   COMMENTGUARD_DATA=/path/to/corpora scripts/peers/run.sh
#
# Tools: ours (release CLI and the library), a fastText model trained here on our training rows
# with the pure-Rust `fasttext` crate, the `rustrict` crate, and from PyPI alt-profanity-check and
# hatesonar (venv $PEERS_VENV, default target/peers/venv; needs PyPI the first time).
# Speed: one core (`taskset -c 0`), warm, on 20,000 comments of ~300 characters and on 20,000 at
# the corpus's natural lengths, both made from distinct texts of every split (none repeated, so
# our per-word cache meets new text as in a stream). Quality: ROC AUC on the test
# splits (exported by `export_splits`; nothing is trained on them).
#
# Environment: PEERS_OUT (default target/peers/out); PEERS_SPLITS=DIR reuses an earlier export
# instead of exporting again; PEERS_SKIP (data-set prefixes to leave out, default
# conversationai_,commentguard_own: the shipped model trained on neither); PEERS_N (default 20000) comments per speed set;
# PEERS_ROUNDS (default 2) speed rounds, best kept; PEERS_BENCH=1 also runs `cargo bench --bench score` (slow).
# Writes $PEERS_OUT/speed.jsonl, scores.*.jsonl, table.md and prints the table.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/setup.sh"
VENV=${PEERS_VENV:-$ROOT/target/peers/venv}
OUT=${PEERS_OUT:-$ROOT/target/peers/out}
N=${PEERS_N:-20000}
ROUNDS=${PEERS_ROUNDS:-2}
PIN="taskset -c 0"
command -v taskset >/dev/null || PIN=""
# One thread everywhere: BLAS, OpenMP, onnxruntime and rayon.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 RAYON_NUM_THREADS=1

pinned_venv "$VENV" "alt-profanity-check==1.9.1" "hatesonar==0.1.0" \
    "scikit-learn==1.9.1" "numpy==2.4.6" "onnxruntime==1.31.1"
PY="$VENV/bin/python"

# hatesonar's ONNX graph builds an en_US.UTF-8 locale; compile one privately if the system lacks it.
if ! locale -a 2>/dev/null | grep -qi '^en_US.utf-\?8$'; then
    LOC="$ROOT/target/peers/locale"
    [ -d "$LOC/en_US.UTF-8" ] || { mkdir -p "$LOC" && localedef -i en_US -f UTF-8 "$LOC/en_US.UTF-8"; }
    export LOCPATH="$LOC"
fi

build_cli
(cd "$HERE/rust" && CARGO_TARGET_DIR="$ROOT/target" cargo build --quiet --release)
private_copy "$OUT/bin" commentguard commentguard-peers
CG="$OUT/bin/commentguard"
PEERS="$OUT/bin/commentguard-peers"
"$PEERS" check ours || {
    echo "the peers binary cannot load the shipped model (built from a tree mid-change?)" >&2
    exit 1
}
export_splits "${PEERS_SPLITS:-}" "$ROOT/target/peers/splits"
"$PY" "$HERE/peers.py" prepare "$SPLITS" "$OUT" --n "$N"

echo "== fastText: train on the train splits (one thread: deterministic)"
"$PEERS" train-fasttext "$SPLITS" "$OUT/fasttext.bin"
"$PEERS" train-fasttext "$SPLITS" "$OUT/fasttext_words.bin" words

echo "== quality: score the test texts"
"$CG" score --format lines --output jsonl --quiet "$OUT/test_texts.txt" > "$OUT/scores.ours.jsonl"
"$PEERS" score rustrict "$OUT/test_texts.txt" "$OUT/scores.rustrict.jsonl"
for m in fasttext fasttext_words; do
    "$PEERS" score "fasttext:$OUT/$m.bin" "$OUT/test_texts.txt" "$OUT/scores.$m.jsonl"
done
"$PY" "$HERE/peers.py" score profanity_check "$OUT/test_texts.txt" "$OUT/scores.profanity_check.jsonl"
"$PY" "$HERE/peers.py" score hatesonar "$OUT/test_texts.txt" "$OUT/scores.hatesonar.jsonl"

echo "== speed, one core ($PIN), $ROUNDS rounds (the table keeps each tool's best)"
: > "$OUT/speed.jsonl"
for round in $(seq "$ROUNDS"); do
echo "== round $round; load: $(uptime)"
for set in speed_300 speed_natural; do
    T="$OUT/$set.txt"
    $PIN "$PEERS" speed ours "$T" | tee -a "$OUT/speed.jsonl"
    "$PY" "$HERE/peers.py" cli-speed "$CG" "$T" --cmd-prefix "${PIN:-env}" | tee -a "$OUT/speed.jsonl"
    "$PY" "$HERE/peers.py" cli-speed "$CG" "$T" --cmd-prefix "${PIN:-env}" --no-reasons | tee -a "$OUT/speed.jsonl"
    $PIN "$PEERS" speed "fasttext:$OUT/fasttext.bin" "$T" | tee -a "$OUT/speed.jsonl"
    $PIN "$PEERS" speed "fasttext:$OUT/fasttext_words.bin" "$T" | tee -a "$OUT/speed.jsonl"
    $PIN "$PEERS" speed rustrict "$T" | tee -a "$OUT/speed.jsonl"
    $PIN "$PY" "$HERE/peers.py" speed profanity_check "$T" | tee -a "$OUT/speed.jsonl"
    $PIN "$PY" "$HERE/peers.py" speed hatesonar "$T" | tee -a "$OUT/speed.jsonl"
done
done
echo "== load after: $(uptime)"

if [ "${PEERS_BENCH:-0}" = 1 ]; then
    (cd "$ROOT" && cargo bench --bench score) | tee "$OUT/bench_score.txt"
fi

"$PY" "$HERE/peers.py" report "$OUT"
