"""TF-IDF + logistic-regression baseline, trained on exactly our rows.

Reads the CSVs written by `commentguard::train::datasets::export_splits` (one file per
data set and split, `<dataset>.<split>.csv`, columns `text` + our seven labels, empty =
unknown), fits one LogisticRegression per label on every train row where that label is
known, tunes one threshold per label on the pooled dev rows (max F1), and reports per
(dataset, split, label): ROC AUC, PR AUC (average precision) and F1 at the tuned threshold.

Features: TF-IDF word 1-2-grams + char_wb 2-5-grams, sublinear tf, min_df 2.
Usage: python tfidf_lr.py --splits DIR [--json OUT.json] [--scores DIR] [--C 1.0]
(C: sklearn default). --scores writes every test row's probabilities, one
`<dataset>.test.scores.csv` per data set (columns `text` + the fitted labels, rows in the
split's order), as `commentguard eval --scores` does, for compare.py's bootstrap intervals.
Run through run.sh, which pins scikit-learn and exports the splits.
"""
import argparse
import csv
import glob
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

LABELS = ["toxic", "insult", "threat", "obscene", "identity_attack", "dehumanising", "slur"]
SPLITS = ["train", "dev", "test"]


def read_split(path):
    csv.field_size_limit(sys.maxsize)
    texts, ys = [], []
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        for row in r:
            texts.append(row["text"])
            ys.append([None if row[l] == "" else int(row[l]) for l in LABELS])
    return texts, ys


def load(dirname):
    data = {}
    for path in sorted(glob.glob(os.path.join(dirname, "*.csv"))):
        name = os.path.basename(path)[:-4]
        dataset, split = name.rsplit(".", 1)
        if split not in SPLITS:
            continue
        data[(dataset, split)] = read_split(path)
    if not data:
        sys.exit(f"no <dataset>.<split>.csv files in {dirname}")
    return data


def column(ys, j):
    idx = [i for i, y in enumerate(ys) if y[j] is not None]
    return np.array(idx, dtype=int), np.array([ys[i][j] for i in idx], dtype=int)


def best_threshold(y, p):
    """The threshold with the highest F1 on (y, p); ties go to the higher threshold."""
    order = np.argsort(-p, kind="mergesort")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    fp = np.cumsum(1 - ys)
    pos = ys.sum()
    if pos == 0:
        return 0.5
    f1 = 2 * tp / (tp + fp + pos)
    # Only cut between distinct scores.
    last = np.r_[ps[1:] != ps[:-1], True]
    f1 = np.where(last, f1, -1)
    k = int(np.argmax(f1))
    return float(ps[k])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", required=True)
    ap.add_argument("--json")
    ap.add_argument("--scores")
    ap.add_argument("--C", type=float, default=1.0)
    args = ap.parse_args()

    data = load(args.splits)
    train_keys = [k for k in data if k[1] == "train"]
    train_texts = [t for k in train_keys for t in data[k][0]]
    train_ys = [y for k in train_keys for y in data[k][1]]

    t0 = time.perf_counter()
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                           lowercase=True, dtype=np.float32)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                           lowercase=True, dtype=np.float32)
    Xw = word.fit_transform(train_texts)
    Xc = char.fit_transform(train_texts)
    X = sp.hstack([Xw, Xc]).tocsr()
    t_vec = time.perf_counter() - t0

    models = {}
    fit_times = {}
    for j, label in enumerate(LABELS):
        idx, y = column(train_ys, j)
        if len(idx) == 0 or y.min() == y.max():
            continue
        t1 = time.perf_counter()
        m = LogisticRegression(C=args.C, solver="liblinear", max_iter=1000)
        m.fit(X[idx], y)
        fit_times[label] = time.perf_counter() - t1
        models[label] = m
    t_train = time.perf_counter() - t0

    def scores(texts):
        Z = sp.hstack([word.transform(texts), char.transform(texts)]).tocsr()
        return {l: m.predict_proba(Z)[:, 1] for l, m in models.items()}

    preds = {k: scores(v[0]) for k, v in data.items() if k[1] != "train"}

    # One threshold per label, tuned on the pooled dev rows (never on test).
    thresholds = {}
    for j, label in enumerate(LABELS):
        if label not in models:
            continue
        ys, ps = [], []
        for k, (texts, yy) in data.items():
            if k[1] != "dev":
                continue
            idx, y = column(yy, j)
            ys.append(y)
            ps.append(preds[k][label][idx])
        if ys and np.concatenate(ys).size:
            thresholds[label] = best_threshold(np.concatenate(ys), np.concatenate(ps))
        else:
            thresholds[label] = 0.5

    if args.scores:
        os.makedirs(args.scores, exist_ok=True)
        for (dataset, split), (texts, _) in sorted(data.items()):
            if split != "test":
                continue
            with open(os.path.join(args.scores, f"{dataset}.test.scores.csv"), "w",
                      newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["text"] + list(models))
                cols = [preds[(dataset, split)][l] for l in models]
                for i, t in enumerate(texts):
                    w.writerow([t] + [repr(float(c[i])) for c in cols])

    results = []
    for (dataset, split), (texts, yy) in sorted(data.items()):
        if split == "train":
            continue
        for j, label in enumerate(LABELS):
            if label not in models:
                continue
            idx, y = column(yy, j)
            if len(idx) == 0:
                continue
            p = preds[(dataset, split)][label][idx]
            row = {"dataset": dataset, "split": split, "label": label, "n": int(len(y)),
                   "positives": int(y.sum()), "threshold": thresholds[label]}
            if 0 < y.sum() < len(y):
                row["roc_auc"] = float(roc_auc_score(y, p))
                row["pr_auc"] = float(average_precision_score(y, p))
            row["f1"] = float(f1_score(y, (p >= thresholds[label]).astype(int), zero_division=0))
            results.append(row)

    out = {
        "sklearn": sklearn.__version__,
        "features": {"word_1_2": int(Xw.shape[1]), "char_wb_2_5": int(Xc.shape[1])},
        "train_rows": len(train_texts),
        "C": args.C,
        "seconds": {"vectorize": round(t_vec, 2), "train_total": round(t_train, 2),
                    "per_label": {k: round(v, 2) for k, v in fit_times.items()}},
        "thresholds": thresholds,
        "results": results,
    }
    js = json.dumps(out, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(js)
    print(js)
    print()
    print(f"{'dataset':38} {'split':5} {'label':16} {'n':>6} {'pos':>6} {'ROC AUC':>8} {'PR AUC':>8} {'F1':>6}")
    for r in results:
        if r["positives"] == 0:
            continue  # in the JSON only: a split with no positives has no ranking figures
        roc = f"{r['roc_auc']:.4f}" if "roc_auc" in r else "-"
        pr = f"{r['pr_auc']:.4f}" if "pr_auc" in r else "-"
        print(f"{r['dataset']:38} {r['split']:5} {r['label']:16} {r['n']:>6} {r['positives']:>6} "
              f"{roc:>8} {pr:>8} {r['f1']:.4f}")
    print(f"\ntrain rows {len(train_texts)}, features {X.shape[1]}, "
          f"vectorize {t_vec:.1f} s, vectorize + fit all labels {t_train:.1f} s")


if __name__ == "__main__":
    main()
