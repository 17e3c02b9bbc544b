"""Golden weights for the sparse L-BFGS solver (tests/model.rs, `lbfgs_matches_sklearn`).

Run: python3 scripts/golden/logreg.py. The data is a deterministic formula (no RNG) so the
Rust test rebuilds it exactly: row i, column j (0..6) holds k/8 - 1 with
k = (7i + 13j + ij) mod 17, present when (i + 2j) mod 3 != 0; label = integer score > 0.
"""
import numpy as np
import sklearn
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

N, D = 80, 6
X = np.zeros((N, D), dtype=np.float32)
y = np.zeros(N, dtype=int)
for i in range(N):
    t = 0
    for j in range(D):
        k = (7 * i + 13 * j + i * j) % 17
        if (i + 2 * j) % 3 != 0:
            X[i, j] = k / 8.0 - 1.0
            t += [3, -2, 1, 0, 0, 1][j] * (k - 8)
    t += ((31 * i) % 7) * 4 - 12
    y[i] = 1 if t > 0 else 0
print("sklearn", sklearn.__version__, "positives", int(y.sum()), "of", N)
Xs = csr_matrix(X.astype(np.float64))
for name, kw in [("plain C=1", dict(C=1.0)), ("balanced C=0.1", dict(C=0.1, class_weight="balanced"))]:
    m = LogisticRegression(solver="lbfgs", tol=1e-12, max_iter=100000, **kw).fit(Xs, y)
    print(name)
    print("  w", ", ".join(repr(float(v)) for v in m.coef_[0]))
    print("  b", repr(float(m.intercept_[0])))
