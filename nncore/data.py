"""Data sets of the deeplearning.ai Course 1 Week 3 notebook, drawn exactly as the course draws them.

``python -c "from nncore.data import load_dataset; print(load_dataset('flower', 1)[0][:, :3])"``

Every loader returns ``X`` of shape ``(2, m)`` (float64) and ``Y`` of shape ``(1, m)`` (float64,
values 0.0 or 1.0): one example per column, as in the course.
"""

from __future__ import annotations

import numpy as np

from nncore.config import DATASETS

DEFAULT_POINTS = {"flower": 400, "moons": 200, "circles": 200, "blobs": 200, "gaussian_quantiles": 200}


def load_flower(seed: int = 1, m: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Draw the course's flower-shaped "planar" data set.

    Reproduces ``planar_utils.load_planar_dataset`` draw for draw: with ``seed=1`` and ``m=400``
    the result is the course's data set bit for bit.

    Parameters
    ----------
    seed : int
        Seed of a private ``numpy.random.RandomState`` (the course calls ``np.random.seed(1)``).
    m : int
        Number of points, even; half of each class.

    Returns
    -------
    X : ndarray, shape (2, m)
    Y : ndarray, shape (1, m)
    """
    rng = np.random.RandomState(seed)
    n = m // 2  # points per class
    a = 4  # maximum ray of the flower
    X = np.zeros((m, 2))  # (m, 2) while filling, as the course does
    Y = np.zeros((m, 1))
    for j in range(2):
        ix = slice(n * j, n * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.randn(n) * 0.2  # theta
        r = a * np.sin(4 * t) + rng.randn(n) * 0.2  # radius
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T  # (2, m), (1, m)


def _sklearn_dataset(name: str, seed: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    # Imported lazily: scikit-learn is slow to import and only these sets need it.
    from sklearn import datasets

    if name == "moons":
        x, y = datasets.make_moons(n_samples=m, noise=0.2, random_state=seed)
    elif name == "circles":
        x, y = datasets.make_circles(n_samples=m, factor=0.5, noise=0.3, random_state=seed)
    elif name == "blobs":
        x, y = datasets.make_blobs(n_samples=m, random_state=seed, n_features=2, centers=6)
        y = y % 2
    elif name == "gaussian_quantiles":
        x, y = datasets.make_gaussian_quantiles(
            mean=None, cov=0.5, n_samples=m, n_features=2, n_classes=2, shuffle=True, random_state=seed
        )
    else:  # pragma: no cover - guarded by load_dataset
        raise ValueError(name)
    return x.T.astype(np.float64), y.reshape(1, m).astype(np.float64)


def load_dataset(name: str, seed: int = 1, points: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Load one of :data:`nncore.config.DATASETS` by name.

    Parameters
    ----------
    name : str
        ``flower``, ``moons``, ``circles``, ``blobs`` or ``gaussian_quantiles``.
    seed : int
        Seed of the draws.
    points : int or None
        Number of points; ``None`` for the data set's default (:data:`DEFAULT_POINTS`).

    Returns
    -------
    X : ndarray, shape (2, m)
    Y : ndarray, shape (1, m)
    """
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; allowed: {', '.join(DATASETS)}")
    m = DEFAULT_POINTS[name] if points is None else points
    if name == "flower":
        return load_flower(seed, m)
    return _sklearn_dataset(name, seed, m)
