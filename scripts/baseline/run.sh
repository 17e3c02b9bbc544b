#!/bin/sh
# TF-IDF + logistic-regression baseline on exactly the rows commentguard trains and tests on.
#
#   COMMENTGUARD_DATA=/path/to/corpora scripts/baseline/run.sh [extra tfidf_lr.py args]
#
# 1. creates a virtualenv ($BASELINE_VENV, default target/baseline-venv) with a pinned
#    scikit-learn (needs pip access to PyPI the first time);
# 2. exports our splits with `export_splits` (through the ignored test
#    `export_for_baseline` in tests/datasets.rs) to $BASELINE_OUT/splits
#    (default target/baseline/splits);
# 3. runs tfidf_lr.py, which prints the figures as JSON and as a table and writes
#    $BASELINE_OUT/results.json, and every test row's probabilities to $BASELINE_OUT/scores
#    (for compare.py's bootstrap intervals).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
: "${COMMENTGUARD_DATA:?set COMMENTGUARD_DATA to the corpora folder (see datasets/README.md)}"
VENV=${BASELINE_VENV:-$ROOT/target/baseline-venv}
OUT=${BASELINE_OUT:-$ROOT/target/baseline}

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q "scikit-learn==1.9.1" "numpy==2.4.6" "scipy==1.17.1"

rm -rf "$OUT/splits"
mkdir -p "$OUT/splits"
(cd "$ROOT" && COMMENTGUARD_EXPORT_DIR="$OUT/splits" \
    cargo test --quiet --test datasets export_for_baseline -- --ignored --exact)

"$VENV/bin/python" "$HERE/tfidf_lr.py" --splits "$OUT/splits" --json "$OUT/results.json" --scores "$OUT/scores" "$@"
