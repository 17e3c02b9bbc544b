#!/usr/bin/env python3
"""Drafts src/lexicon/data/real_words.tsv, the real-word guard of the dropped/swapped-letter rule,
and reports which corpus words the rule reaches.

    COMMENTGUARD_DATA=/work/shared/datasets python3 scripts/lexicon/real_words.py [--k 2] \
        [--dump FILE] [--draft OUT.tsv] [--hits 30]

The variants come from the Rust rule itself, not from a copy of it: the script runs the ignored
test `lexicon::slip::tests::print_slip_variants`, which prints every one-slip variant of the
built-in lexicon without its guard (variant, form, category) and how often each occurs as a
word in the TRAIN splits of the train-marked corpora under $COMMENTGUARD_DATA (test and dev
rows and eval-only sets are never read). Going through the crate's own loader and normaliser
means the splits are the training ones and the words are exactly what the matcher sees (case,
leet and accent folding, its word boundaries), rather than the lower-cased approximation a
separate reader would give. `--dump FILE` reads a saved copy of that test's output instead.

--draft writes every variant seen at least K times as a draft guard (word, a note with the
form, category and count): a person then reads it, keeps the real words and comments out, with
a note, any that is a deliberate spelling of the term. --hits prints the words the guarded rule
reaches in the train splits (variants not in the current guard): their number and the
commonest N. Only single words are printed, never corpus text.
"""
import argparse
import os
import subprocess
import sys

TEST = "lexicon::slip::tests::print_slip_variants"


def dump_lines(path):
    if path:
        return open(path, encoding="utf-8").read().splitlines()
    if not os.environ.get("COMMENTGUARD_DATA"):
        sys.exit("set COMMENTGUARD_DATA to the corpora folder (or pass --dump)")
    cmd = ["cargo", "test", "--lib", "--quiet", TEST, "--", "--ignored", "--exact", "--nocapture"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=2, help="least train count for the draft")
    ap.add_argument("--dump", help="saved output of the ignored test")
    ap.add_argument("--draft", help="write the draft guard here")
    ap.add_argument("--hits", type=int, default=0, help="print the N commonest reached words")
    a = ap.parse_args()

    slips, rows, words = {}, 0, 0
    for line in dump_lines(a.dump):
        c = line.split("\t")
        if c[0] == "SLIP" and len(c) == 6:
            v, form, cat, n, guarded = c[1], c[2], c[3], int(c[4]), c[5] == "true"
            s = slips.setdefault(v, {"forms": [], "n": n, "guarded": guarded})
            s["forms"].append(f"{form} ({cat})")
        elif c[0] == "TOTAL":
            rows, words = int(c[1]), int(c[2])
    seen = {v: s for v, s in slips.items() if s["n"] > 0}
    print(f"{len(slips)} variants; {len(seen)} occur in {rows} train rows "
          f"({words} words); {sum(s['n'] >= a.k for s in slips.values())} at least {a.k} times",
          file=sys.stderr)

    if a.draft:
        with open(a.draft, "w", encoding="utf-8") as f:
            f.write(f"# Draft: variants seen at least {a.k} times in {rows} train rows.\n")
            f.write("word\tnote\n")
            for v in sorted(seen, key=lambda v: (-seen[v]["n"], v)):
                s = seen[v]
                if s["n"] >= a.k:
                    f.write(f"{v}\tnot {' / '.join(s['forms'])}; {s['n']} in train\n")

    if a.hits:
        reached = {v: s for v, s in seen.items() if not s["guarded"]}
        tokens = sum(s["n"] for s in reached.values())
        print(f"reached by the guarded rule: {len(reached)} distinct words, {tokens} occurrences")
        for v in sorted(reached, key=lambda v: (-reached[v]["n"], v))[: a.hits]:
            s = reached[v]
            print(f"{s['n']}\t{v}\t{' / '.join(s['forms'])}")


if __name__ == "__main__":
    main()
