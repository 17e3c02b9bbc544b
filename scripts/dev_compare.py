#!/usr/bin/env python3
"""Dev-split comparisons behind DESIGN.md's "What moved the dev figures" table.

    python3 scripts/dev_compare.py CARD.md [CARD.md ...] [--baseline target/baseline/results.json]

For each model card (written by `commentguard train --card`), prints the mean dev ROC AUC over
the corpus (data set, label) pairs (our own set `commentguard_own` left out), and, with
--baseline, how many dev pairs it is ahead of the scikit-learn baseline's dev figures from
scripts/baseline/run.sh (slur left out: the baseline does not fit it). Reads dev rows only;
test figures are never used here.
"""
import argparse
import json


def dev_figures(card):
    out = {}
    for line in open(card, encoding="utf-8"):
        if not line.startswith("| ") or "| dev |" not in line:
            continue
        c = [x.strip() for x in line.split("|")]
        dataset, label, auc = c[1], c[3], c[6]
        if dataset == "commentguard_own" or auc in ("–", "ROC AUC"):
            continue
        out[(dataset, label)] = float(auc)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cards", nargs="+")
    ap.add_argument("--baseline")
    a = ap.parse_args()
    base = None
    if a.baseline:
        rows = json.load(open(a.baseline))["results"]
        base = {(r["dataset"], r["label"]): r["roc_auc"] for r in rows
                if r["split"] == "dev" and r.get("roc_auc") is not None
                and r["dataset"] != "commentguard_own"}
    for card in a.cards:
        d = dev_figures(card)
        line = f"{card}: mean corpus dev ROC AUC {sum(d.values()) / len(d):.4f} over {len(d)} pairs"
        if base is not None:
            keys = [k for k in base if k in d and k[1] != "slur"]
            ahead = sum(d[k] > base[k] for k in keys)
            behind = sorted((round(d[k] - base[k], 3), k[0], k[1]) for k in keys if d[k] <= base[k])
            line += f"; ahead of the baseline on {ahead} of {len(keys)} dev pairs; behind: {behind}"
        print(line)


if __name__ == "__main__":
    main()
