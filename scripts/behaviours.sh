#!/usr/bin/env bash
# Accuracy per behaviour of a model bundle on the functional cases, through the CLI:
#   scripts/behaviours.sh [--cases FILE] [MODEL.cgm]      (default: the built-in model)
# The case file is tests/data/behaviours.tsv unless `--cases FILE` or `CASES=FILE` names another
# (tests/data/behaviours_blind.tsv: the blind set of issue 3). VERBOSE=1 lists the failures.
# The figures of `cargo test --test behaviours`, for a bundle that is not the shipped one, with
# one difference: the CLI scores each line as a top-level comment (depth 1) and the test scores
# lone texts (depth unknown), so a few cases differ (blind file at b84c1c7: 185/228 here, 181/228
# in the test). SCORE_ARGS adds options to `score` (SCORE_ARGS="--no-group-insults" scores
# without the group-insult rule).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${COMMENTGUARD_BIN:-target/release/commentguard}
file=${CASES:-tests/data/behaviours.tsv}
if [ $# -ge 1 ] && [ "$1" = --cases ]; then
  [ $# -ge 2 ] || { echo "--cases needs a file" >&2; exit 2; }
  file=$2; shift 2
fi
[ -f "$file" ] || { echo "no case file $file" >&2; exit 2; }
model=()
[ $# -ge 1 ] && model=(--model "$1")
cases=$(mktemp); trap 'rm -f "$cases"' EXIT
grep -v '^#' "$file" | tail -n +2 > "$cases"
echo "cases: $file"
# shellcheck disable=SC2086 # SCORE_ARGS is a list of options
cut -f3 "$cases" | "$bin" score --format lines --output jsonl -q "${model[@]}" ${SCORE_ARGS:-} \
  | python3 -c '
import json, sys, collections
cases = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
hateful = {"identity_attack", "dehumanising", "slur"}
per = collections.defaultdict(lambda: [0, 0]); fails = []
for (b, want, text), line in zip(cases, sys.stdin, strict=True):
    r = json.loads(line)
    got = "hateful" if hateful & set(r.get("flags", [])) else "not_hateful"
    per[b][1] += 1
    if got == want: per[b][0] += 1
    else: fails.append(f"  [{b}] want {want}: {text!r} " + str(r.get("flags")))
c = sum(v[0] for v in per.values()); n = sum(v[1] for v in per.values())
print(f"behaviours overall {c}/{n} = {c/n:.3f}")
for b, (k, t) in sorted(per.items()): print(f"  {b:24s} {k}/{t} = {k/t:.2f}")
if "-v" in sys.argv: print("\n".join(fails))
' "$cases" ${VERBOSE:+-v}
