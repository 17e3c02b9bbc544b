#!/usr/bin/env python3
"""Side-by-side test ROC AUC: commentguard (`commentguard eval --json`) vs the TF-IDF + LR baseline
(`scripts/baseline/run.sh` -> results.json), on the same test rows.

    python3 scripts/baseline/compare.py OURS.json BASELINE.json
"""
import json
import sys

ours = json.load(open(sys.argv[1]))
base = json.load(open(sys.argv[2]))
b = {(r["dataset"], r["label"]): r for r in base["results"] if r["split"] == "test"}
rows, wins, total = [], 0, 0
for f in ours["figures"]:
    if f["split"] != "test" or f.get("roc_auc") is None:
        continue
    r = b.get((f["dataset"], f["label"]))
    if r is None or "roc_auc" not in r:
        continue
    total += 1
    win = f["roc_auc"] > r["roc_auc"]
    wins += win
    rows.append(f"| {f['dataset']} | {f['label']} | {f['rows']} | {f['positives']} | "
                f"{f['roc_auc']:.3f} | {r['roc_auc']:.3f} | {f['roc_auc'] - r['roc_auc']:+.3f} | "
                f"{f['f1']:.3f} | {r['f1']:.3f} |")
print("| data set | label | rows | positives | ROC AUC ours | ROC AUC baseline | Δ | F1 ours | F1 baseline |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
print("\n".join(rows))
print(f"\nours ahead on {wins} of {total} (data set, label) test splits; "
      # train_total is timed from the start of vectorising (tfidf_lr.py): it already holds it.
      f"baseline training {base['seconds']['train_total']:.1f} s "
      f"(vectorise {base['seconds']['vectorize']} s + fit "
      f"{base['seconds']['train_total'] - base['seconds']['vectorize']:.1f} s), "
      f"scikit-learn {base['sklearn']}")
