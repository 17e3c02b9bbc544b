#!/usr/bin/env python3
"""Side-by-side test ROC AUC: commentguard (`commentguard eval --json`) vs the TF-IDF + LR baseline
(`scripts/baseline/run.sh` -> results.json), on the same test rows.

    python3 scripts/baseline/compare.py OURS.json BASELINE.json \\
        [--ours-scores DIR --base-scores DIR [--splits DIR] [--resamples 2000] [--seed 2026]]

With the two score folders (`commentguard eval --scores DIR`; run.sh writes the baseline's to
target/baseline/scores), each split also gets a 95% interval for the difference Δ of ROC AUC,
from a paired bootstrap: the same resampled rows score both models, positives and negatives
resampled apart so every resample keeps the split's class counts. A split is "ahead" or
"behind" only when its interval excludes 0; otherwise it is "tied" (a difference the test rows
cannot tell from noise). Needs numpy (the baseline's virtualenv has it).
"""
import argparse
import csv
import functools
import json
import os
import sys


@functools.lru_cache(maxsize=None)
def read_columns(path):
    """A CSV file as (texts, {column: values as strings}); read once however many labels use it."""
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        rows = list(r)
    return [row["text"] for row in rows], {k: [row[k] for row in rows]
                                           for k in r.fieldnames if k != "text"}


def read_scores(path, label):
    texts, cols = read_columns(path)
    return texts, [float(v) for v in cols[label]]


def read_truth(path, label):
    texts, cols = read_columns(path)
    return texts, [None if v == "" else int(v) for v in cols[label]]


def auc_many(np, pos, neg):
    """ROC AUC of each row of the resampled score matrices: positives `pos` (B x n1) against
    negatives `neg` (B x n0), ties counted half (the Mann-Whitney statistic)."""
    n1, n0 = pos.shape[1], neg.shape[1]
    neg_sorted = np.sort(neg, axis=1)
    out = np.empty(pos.shape[0])
    for b in range(pos.shape[0]):
        lo = np.searchsorted(neg_sorted[b], pos[b], side="left")
        hi = np.searchsorted(neg_sorted[b], pos[b], side="right")
        out[b] = (lo.sum() + 0.5 * (hi - lo).sum()) / (n1 * n0)
    return out


def interval(np, rng, y, ours, base, resamples):
    y, ours, base = np.asarray(y), np.asarray(ours), np.asarray(base)
    p, n = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    ip = p[rng.integers(0, len(p), size=(resamples, len(p)))]
    ineg = n[rng.integers(0, len(n), size=(resamples, len(n)))]
    d = auc_many(np, ours[ip], ours[ineg]) - auc_many(np, base[ip], base[ineg])
    return np.percentile(d, 2.5), np.percentile(d, 97.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ours")
    ap.add_argument("baseline")
    ap.add_argument("--ours-scores")
    ap.add_argument("--base-scores")
    ap.add_argument("--splits", default="target/baseline/splits")
    ap.add_argument("--resamples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    if bool(a.ours_scores) != bool(a.base_scores):
        sys.exit("--ours-scores and --base-scores go together")
    boot = bool(a.ours_scores)
    if boot:
        import numpy as np
        rng = np.random.default_rng(a.seed)

    ours = json.load(open(a.ours))
    base = json.load(open(a.baseline))
    b = {(r["dataset"], r["label"]): r for r in base["results"] if r["split"] == "test"}
    rows, wins, total, verdicts = [], 0, 0, {"ahead": 0, "tied": 0, "behind": 0}
    for f in ours["figures"]:
        if f["split"] != "test" or f.get("roc_auc") is None:
            continue
        r = b.get((f["dataset"], f["label"]))
        if r is None or "roc_auc" not in r:
            continue
        total += 1
        win = f["roc_auc"] > r["roc_auc"]
        wins += win
        row = (f"| {f['dataset']} | {f['label']} | {f['rows']} | {f['positives']} | "
               f"{f['roc_auc']:.3f} | {r['roc_auc']:.3f} | {f['roc_auc'] - r['roc_auc']:+.3f} | ")
        if boot:
            name = f"{f['dataset']}.test.scores.csv"
            t_ours, s_ours = read_scores(os.path.join(a.ours_scores, name), f["label"])
            t_base, s_base = read_scores(os.path.join(a.base_scores, name), f["label"])
            t_truth, y = read_truth(os.path.join(a.splits, f"{f['dataset']}.test.csv"), f["label"])
            if not (t_ours == t_base == t_truth):
                sys.exit(f"{name}: the two score files and the split do not list the same rows")
            keep = [i for i, v in enumerate(y) if v is not None]
            lo, hi = interval(np, rng, [y[i] for i in keep],
                              [s_ours[i] for i in keep],
                              [s_base[i] for i in keep], a.resamples)
            verdict = "ahead" if lo > 0 else "behind" if hi < 0 else "tied"
            verdicts[verdict] += 1
            row += f"[{lo:+.3f}, {hi:+.3f}] {verdict} | "
        rows.append(row + f"{f['f1']:.3f} | {r['f1']:.3f} |")
    head = "| data set | label | rows | positives | ROC AUC ours | ROC AUC baseline | Δ | "
    rule = "|---|---|---:|---:|---:|---:|---:|"
    if boot:
        head += "95% interval of Δ | "
        rule += "---|"
    print(head + "F1 ours | F1 baseline |")
    print(rule + "---:|---:|")
    print("\n".join(rows))
    print(f"\nours ahead on {wins} of {total} (data set, label) test splits; "
          # train_total is timed from the start of vectorising (tfidf_lr.py): it already holds it.
          f"baseline training {base['seconds']['train_total']:.1f} s "
          f"(vectorise {base['seconds']['vectorize']} s + fit "
          f"{base['seconds']['train_total'] - base['seconds']['vectorize']:.1f} s), "
          f"scikit-learn {base['sklearn']}")
    if boot:
        print(f"paired bootstrap ({a.resamples} resamples, seed {a.seed}): interval above 0 on "
              f"{verdicts['ahead']}, containing 0 on {verdicts['tied']}, below 0 on "
              f"{verdicts['behind']}")


if __name__ == "__main__":
    main()
