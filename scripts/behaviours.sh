#!/usr/bin/env bash
# Accuracy per behaviour of a model bundle on the functional cases (tests/data/behaviours.tsv),
# through the CLI: `scripts/behaviours.sh [MODEL.cgm]` (default: the built-in model).
# The same figures as `cargo test --test behaviours`, for a bundle that is not the shipped one.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${COMMENTGUARD_BIN:-target/release/commentguard}
model=()
[ $# -ge 1 ] && model=(--model "$1")
cases=$(mktemp); trap 'rm -f "$cases"' EXIT
grep -v '^#' tests/data/behaviours.tsv | tail -n +2 > "$cases"
cut -f3 "$cases" | "$bin" score --format lines --output jsonl -q "${model[@]}" \
  | python3 -c '
import json, sys, collections
cases = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
hateful = {"identity_attack", "dehumanising", "slur"}
per = collections.defaultdict(lambda: [0, 0]); fails = []
for (b, want, text), line in zip(cases, sys.stdin):
    r = json.loads(line)
    got = "hateful" if hateful & set(r.get("flags", [])) else "not_hateful"
    per[b][1] += 1
    if got == want: per[b][0] += 1
    else: fails.append(f"  [{b}] want {want}: {text!r} " + str(r.get("flags")))
c = sum(v[0] for v in per.values()); n = sum(v[1] for v in per.values())
print(f"behaviours overall {c}/{n} = {c/n:.3f}")
for b, (k, t) in sorted(per.items()): print(f"  {b:24s} {k}/{t}")
if "-v" in sys.argv: print("\n".join(fails))
' "$cases" ${VERBOSE:+-v}
