#!/usr/bin/env python3
"""Checks the threshold rule on held-out halves of the dev rows (DESIGN.md, "Thresholds").

    commentguard train ... --seed S --dev-scores DIR_S          # once per seed
    target/baseline-venv/bin/python scripts/thresholds.py DIR_2026 DIR_2027 DIR_2028

For each label: splits its dev rows in two halves (positives and negatives apart, 20 random
splits per directory), picks a threshold on one half with each rule and scores the prevalence-
weighted F1 on the other half; prints the mean held-out F1 of each rule and the threshold each
rule picks on all of each directory's dev rows. The rules: the single best-F1 cut (`train
--threshold-rounds 0`) and the median best-F1 cut over bootstrap resamples (the default, 101
rounds in `train`; 51 here to keep the run short). Reads dev scores only. Needs numpy (the
baseline's venv has it).
"""
import sys

import numpy as np

# TrainConfig::prevalence defaults.
PREVALENCE = dict(toxic=0.10, insult=0.05, threat=0.01, obscene=0.05,
                  identity_attack=0.05, dehumanising=0.03, slur=0.03)


def best_cut(s, t, p):
    """prevalence_threshold in src/train/pipeline.rs."""
    o = np.argsort(-s, kind="stable")
    s2, t2 = s[o], t[o]
    pos = t2.sum()
    neg = len(t2) - pos
    if pos == 0 or neg == 0:
        return 0.5
    wp, wn = p / pos, (1 - p) / neg
    tp = np.cumsum(t2)
    fp = np.cumsum(1 - t2)
    distinct = np.append(s2[1:] != s2[:-1], True)
    f1 = 2 * tp * wp / (2 * tp * wp + fp * wn + (pos - tp) * wp)
    k = int(np.argmax(np.where(distinct, f1, -1)))
    return (s2[k] + s2[k + 1]) / 2 if k + 1 < len(s2) else s2[k]


def bagged_cut(s, t, p, rounds, rng):
    """bagged_threshold in src/train/pipeline.rs (another generator, so other resamples)."""
    pi, ni = np.flatnonzero(t), np.flatnonzero(1 - t)
    cuts = []
    for _ in range(rounds):
        idx = np.concatenate([rng.choice(pi, len(pi)), rng.choice(ni, len(ni))])
        cuts.append(best_cut(s[idx], t[idx], p))
    return float(np.sort(cuts)[len(cuts) // 2])


def weighted_f1(s, t, p, cut):
    pos = t.sum()
    neg = len(t) - pos
    wp, wn = p / pos, (1 - p) / neg
    flag = s >= cut
    tp = (flag & (t == 1)).sum()
    fp = (flag & (t == 0)).sum()
    return 2 * tp * wp / (2 * tp * wp + fp * wn + (pos - tp) * wp)


def main():
    dirs = sys.argv[1:]
    if not dirs:
        sys.exit(__doc__)
    rng = np.random.default_rng(1)
    for label, p in PREVALENCE.items():
        held = {"single": [], "bagged": []}
        cuts = {"single": [], "bagged": []}
        for d in dirs:
            rows = np.loadtxt(f"{d}/{label}.tsv", ndmin=2)
            s, t = rows[:, 0], rows[:, 1].astype(int)
            cuts["single"].append(best_cut(s, t, p))
            cuts["bagged"].append(bagged_cut(s, t, p, 101, rng))
            for _ in range(20):
                a = np.zeros(len(s), bool)
                for cls in (0, 1):
                    ix = np.flatnonzero(t == cls)
                    rng.shuffle(ix)
                    a[ix[: len(ix) // 2]] = True
                for pick, judge in ((a, ~a), (~a, a)):
                    held["single"].append(weighted_f1(s[judge], t[judge], p, best_cut(s[pick], t[pick], p)))
                    held["bagged"].append(weighted_f1(s[judge], t[judge], p, bagged_cut(s[pick], t[pick], p, 51, rng)))
        print(f"{label:16s} held-out F1: single {np.mean(held['single']):.4f}  bagged {np.mean(held['bagged']):.4f}"
              f" | cut per directory: single {' '.join(f'{x:.3f}' for x in cuts['single'])}"
              f"  bagged {' '.join(f'{x:.3f}' for x in cuts['bagged'])}")


if __name__ == "__main__":
    main()
