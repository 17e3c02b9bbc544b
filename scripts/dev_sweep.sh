#!/usr/bin/env bash
# Hyper-parameter sweep on the DEV splits only: for each setting, trains a bundle and prints the
# mean dev ROC AUC over (data set, label) read from its model card. Test splits are not read.
#
#   COMMENTGUARD_DATA=/path/to/corpora scripts/dev_sweep.sh ["--bits 20 --passes 8" ...]
set -euo pipefail
: "${COMMENTGUARD_DATA:?set COMMENTGUARD_DATA to the corpora folder}"
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ $# -eq 0 ]; then
  set -- "--bits 18 --passes 4 --alpha 0.1 --l2 1" "--bits 20 --passes 8 --alpha 0.5 --l2 0.3"
fi
for args in "$@"; do
  # shellcheck disable=SC2086
  ./target/release/commentguard train --data "$COMMENTGUARD_DATA" --out "$out/m.cgm" --card "$out/card.md" -q $args > /dev/null
  python3 - "$args" "$out/card.md" <<'PY'
import sys
rows = [l.split("|") for l in open(sys.argv[2]) if l.startswith("| ") and "| dev |" in l]
aucs = [float(r[6]) for r in rows if r[6].strip() not in ("–", "ROC AUC")]
print(f"{sys.argv[1]:45s} mean dev ROC AUC {sum(aucs) / len(aucs):.4f} over {len(aucs)}")
PY
done
