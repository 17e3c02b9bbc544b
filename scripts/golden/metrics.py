"""Golden values for src/train/metrics.rs (run: python3 scripts/golden/metrics.py).

Scores are cast to float32 first, as the Rust functions take f32.
"""
import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, average_precision_score, f1_score,
                             precision_recall_curve, precision_score, recall_score,
                             roc_auc_score)

S = np.array([0.9, 0.8, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.4, 0.3, 0.2, 0.1], dtype=np.float32)
Y = np.array([1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0])
pred = (S >= np.float32(0.5)).astype(int)

print("sklearn", sklearn.__version__)
print("GOLD_AUC", repr(float(roc_auc_score(Y, S))))
print("GOLD_AP", repr(float(average_precision_score(Y, S))))
print("GOLD_P", repr(float(precision_score(Y, pred))))
print("GOLD_R", repr(float(recall_score(Y, pred))))
print("GOLD_F1", repr(float(f1_score(Y, pred))))
print("GOLD_ACC", repr(float(accuracy_score(Y, pred))))
p, r, t = precision_recall_curve(Y, S)
f = np.where(p[:-1] + r[:-1] > 0, 2 * p[:-1] * r[:-1] / np.maximum(p[:-1] + r[:-1], 1e-300), 0)
best = int(np.argmax(f[::-1]))  # highest threshold among ties
best = len(f) - 1 - best
print("GOLD_BEST_THR", repr(float(t[best])), "GOLD_BEST_F1", repr(float(f[best])))

P = [0, 1, 2, 2, 1, 0, 0, 2, 1, 1]
T = [0, 1, 1, 2, 1, 2, 0, 2, 0, 1]
print("accuracy", accuracy_score(T, P))
print("GOLD_MACRO_F1", repr(float(f1_score(T, P, average="macro", labels=[0, 1, 2], zero_division=0))))
print("GOLD_MACRO_F1_4", repr(float(f1_score(T, P, average="macro", labels=[0, 1, 2, 3], zero_division=0))))
