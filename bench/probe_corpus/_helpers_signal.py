"""NumPy/SciPy feature code used inside numpy_function maps. The heavy calls are NumPy/SciPy array
kernels (sort, partition, ndimage filters) that release the GIL while they run."""

import numpy as np


def robust_quantile_features(x, qs=(0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)):
    """Exact quantiles via a full sort of a large window (the sort releases the GIL)."""
    x = np.asarray(x, dtype=np.float64).ravel()
    s = np.sort(x)
    idx = (np.asarray(qs) * (s.size - 1)).astype(np.int64)
    return s[idx].astype(np.float32)


def robust_scale(window):
    """Median/IQR scaling of a (T, C) window, column by column with np.sort."""
    w = np.asarray(window, dtype=np.float64)
    s = np.sort(w, axis=0)
    n = s.shape[0]
    med, q1, q3 = s[n // 2], s[n // 4], s[(3 * n) // 4]
    return ((w - med) / (q3 - q1 + 1e-6)).astype(np.float32)
