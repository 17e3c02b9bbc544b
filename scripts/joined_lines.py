#!/usr/bin/env python3
"""Comments of about 300 characters from the corpora's training texts, one per line.

    python3 scripts/joined_lines.py [--data DIR] [--n 3000] > FILE

The texts are those `scripts/verdict_diff.py` reads (the training splits of five corpora under
DIR, default $COMMENTGUARD_DATA), whitespace flattened, shuffled with seed 0, and joined one
after the other with a space until a line reaches 300 characters, then cut there: the recipe of
the peers' speed_300 set (scripts/peers/peers.py) on texts anyone with the corpora has. Hate
speech corpora, so most lines name a group. Used in session 11 to count the instructions the
moderator's rules cost (BENCHMARKS.md, "Session 11: the cost of the moderator's new rules"):
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind target/release/commentguard score \\
        --format lines --output jsonl -q [--no-group-insults --no-mentions] FILE
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verdict_diff import texts  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("COMMENTGUARD_DATA"))
    ap.add_argument("--n", type=int, default=3000)
    a = ap.parse_args()
    if not a.data:
        sys.exit("no corpora: pass --data DIR or set COMMENTGUARD_DATA")
    pool = [" ".join(t.split()) for _, _, t in texts(a.data) if t.strip()]
    random.Random(0).shuffle(pool)
    out, k = [], 0
    while len(out) < a.n:
        s = ""
        while len(s) < 300:
            s = (s + " " + pool[k % len(pool)]).strip()
            k += 1
        out.append(s[:300].rstrip())
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
