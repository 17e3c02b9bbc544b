#!/bin/sh
# Peak RSS while streaming ~100 MB and ~1 GB JSONL archives (issue 4: ≤ 300 MB, flat).
#
#   COMMENTGUARD_DATA=/path/to/corpora scripts/rss/run.sh
#
# 1. builds the release CLI and exports our splits (as scripts/peers/run.sh does; RSS_SPLITS=DIR
#    reuses an earlier export) to take realistic texts from;
# 2. writes $RSS_DIR/archive-{100,1000}MB.jsonl (default target/rss): our JSONL (thread, id,
#    parent, author, time, text), many threads of varied size and depth;
# 3. runs `commentguard score --output jsonl` (stdout to /dev/null) and `commentguard threads
#    --json` on each and prints one JSON line per run (rss.py run: peak RSS, wall time, RSS by
#    tenth of the run);
# 4. deletes the archives (also on failure). RSS_SIZES="100 1000" sets the sizes in MB.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/setup.sh"
DIR=${RSS_DIR:-$ROOT/target/rss}
SIZES=${RSS_SIZES:-100 1000}
PY=python3

build_cli
private_copy "$DIR" commentguard
CG="$DIR/commentguard"
export_splits "${RSS_SPLITS:-}" "$DIR/splits"

cleanup() { for mb in $SIZES; do rm -f "$DIR/archive-${mb}MB.jsonl"; done; }
trap cleanup EXIT INT TERM

echo "load: $(uptime)"
for mb in $SIZES; do
    F="$DIR/archive-${mb}MB.jsonl"
    "$PY" "$HERE/rss.py" gen "$SPLITS" "$F" --mb "$mb"
    "$PY" "$HERE/rss.py" run "score-${mb}MB" -- "$CG" score --output jsonl --quiet "$F"
    "$PY" "$HERE/rss.py" run "threads-${mb}MB" -- "$CG" threads --json "$F" 2>/dev/null
    rm -f "$F"
done
echo "load: $(uptime)"
