#!/usr/bin/env python3
"""Threshold-free ranking figures of a model bundle on the development behaviour cases.

    python3 scripts/case_ranking.py [--bin BIN] [--args="SCORE OPTIONS"] MODEL.cgm [MODEL.cgm ...]

The development cases are tests/data/behaviours.tsv and the first two blind sets (505 cases,
all read before; DESIGN.md, "What moved the dev figures") and, from session 9, the fifth blind
set (226 cases, read once in session 9), and from session 10 the sixth (218 cases, read once
in session 10), and from session 11 the seventh (218 cases, read once in session 11), and from
session 12 the eighth (221 cases, read once in session 12), and from session 13 the ninth
(221 cases, read once at the start of session 13), and from session 14 the tenth (221 cases,
read once at the start of session 14): 1,830 in all. Each case is scored through the CLI
(`score --format lines --output jsonl`) and ranked by its largest hateful probability
(identity_attack, dehumanising, slur) over that label's shipped threshold, read from the model
card beside the bundle (MODEL.md; models/MODEL_CARD.md for models/default.cgm). Printed per
bundle: the ROC AUC of that margin over all cases, of the abuse-at-groups cases against every
case that should not flag, of identity_attack alone on the same, and the number of cases
right at the thresholds (the CLI's flags, the figure of scripts/behaviours.sh, summed over the
files; each file's count follows in brackets, in the order of CASES). Before session 12 that
count compared the printed scores, rounded to four decimals, with the card's thresholds,
rounded to three, and missed some verdicts a moderator rule had raised exactly to a threshold.
"""
import argparse
import json
import os
import re
import shlex
import subprocess

CASES = ["tests/data/behaviours.tsv", "tests/data/behaviours_blind.tsv",
         "tests/data/behaviours_blind2.tsv", "tests/data/behaviours_blind5.tsv",
         "tests/data/behaviours_blind6.tsv", "tests/data/behaviours_blind7.tsv",
         "tests/data/behaviours_blind8.tsv", "tests/data/behaviours_blind9.tsv",
         "tests/data/behaviours_blind10.tsv"]
HATEFUL = ("identity_attack", "dehumanising", "slur")


def card_of(model):
    if os.path.abspath(model) == os.path.abspath("models/default.cgm"):
        return "models/MODEL_CARD.md"
    return re.sub(r"\.cgm$", ".md", model)


def thresholds(card):
    text = open(card, encoding="utf-8").read()
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"^- (\w+): ([0-9.]+)$", text, re.M)}


def scored(binary, model, args):
    out = []
    for f in CASES:
        rows = [l.rstrip("\n").split("\t") for l in open(f, encoding="utf-8")
                if not l.startswith("#")][1:]
        rows = [r for r in rows if len(r) == 3]
        res = subprocess.run([binary, "score", "--format", "lines", "--output", "jsonl", "-q",
                              "--model", model, *args], input="\n".join(r[2] for r in rows) + "\n",
                             capture_output=True, text=True, check=True).stdout.splitlines()
        for (b, want, _), line in zip(rows, res, strict=True):
            r = json.loads(line)
            out.append((f, b, want == "hateful", r["scores"],
                        bool(set(HATEFUL) & set(r.get("flags", [])))))
    return out


def auc(pos, neg):
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / len(pos) / len(neg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/commentguard")
    ap.add_argument("--args", default="", help='options added to `score`, e.g. --args=--no-group-insults')
    ap.add_argument("models", nargs="+")
    a = ap.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    for model in a.models:
        th = thresholds(card_of(model))
        cases = scored(a.bin, model, shlex.split(a.args))
        margin = [(b, w, max(s[l] / th[l] for l in HATEFUL), s) for _, b, w, s, _ in cases]
        pos = [m for _, w, m, _ in margin if w]
        neg = [m for _, w, m, _ in margin if not w]
        grp = [m for b, w, m, _ in margin if w and b == "abuse_at_group"]
        ia_grp = [s["identity_attack"] for b, w, _, s in margin if w and b == "abuse_at_group"]
        ia_neg = [s["identity_attack"] for _, w, _, s in margin if not w]
        # Right at the thresholds: the CLI's own flags (the scores it prints are rounded to
        # four decimals and the card's thresholds to three, so a score a rule raised to its
        # threshold can read as under it; before session 12 this compared those).
        right = [flagged == w for _, _, w, _, flagged in cases]
        per_file = [sum(r for r, c in zip(right, cases) if c[0] == f) for f in CASES]
        print(f"{model}: margin ROC AUC {auc(pos, neg):.3f}, abuse at groups vs not "
              f"{auc(grp, neg):.3f}, identity_attack abuse at groups vs not "
              f"{auc(ia_grp, ia_neg):.3f}, right {sum(right)}/{len(margin)} "
              f"({' + '.join(map(str, per_file))})")


if __name__ == "__main__":
    main()
