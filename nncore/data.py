"""The data sets, drawn exactly as the course (and TensorFlow Playground) draws them, and the input features.

``python -c "from nncore.data import load_dataset; print(load_dataset('flower', 1)[0][:, :3])"``

Every loader returns ``X`` of shape ``(2, m)`` (float64) and ``Y`` of shape ``(1, m)`` (float64,
values 0.0 or 1.0): one example per column, as in the course. :func:`load_data` draws a config's
training set and test set and computes its input features (:func:`features`).

- ``flower``: the course's "planar" data (week 3), bit for bit.
- ``moons``, ``circles``, ``blobs``, ``gaussian_quantiles``: scikit-learn's generators as week 3
  calls them. A seed ``s`` draws what the course draws after ``np.random.seed(s)``: week 1's
  initialisation notebook is ``circles`` with 300 points, seed 1, noise 0.05 and factor 0.8, its
  test set 100 points with seed 2; week 2's optimisation notebook is ``moons`` with 300 points,
  seed 3 and noise 0.2.
- ``spiral``, ``xor``: TensorFlow Playground's two-arm spiral (radius 0 to 5, 1.75 turns, uniform
  noise of ``noise`` on each coordinate) and its XOR (coordinates uniform in [-5, 5] moved 0.3 away
  from the axes, labelled by the sign of ``x1 * x2`` after uniform noise of ``5 * noise``). The
  Playground's noise slider, 0 to 50, is ``noise`` 0 to 0.5. Drawn with NumPy from ``seed``: the
  same shapes and rules, not the Playground's own random numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nncore.config import DATASETS, DEFAULT_POINTS, FEATURES, TrainConfig

__all__ = ["DEFAULT_POINTS", "DEFAULT_NOISE", "Data", "features", "load_data", "load_dataset", "load_flower"]

DEFAULT_NOISE: dict[str, float] = {
    "flower": 0.2,
    "moons": 0.2,
    "circles": 0.3,
    "blobs": 1.0,
    "spiral": 0.0,
    "xor": 0.0,
}
"""Each data set's noise when ``[data] noise`` is not given (``blobs``: the clusters' standard deviation)."""

DEFAULT_FACTOR = 0.5
"""The ``circles`` inner radius of week 3 (scikit-learn's own default, the initialisation notebook's, is 0.8)."""


def load_flower(seed: int = 1, m: int = 400, noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Draw the course's flower-shaped "planar" data set.

    Reproduces ``planar_utils.load_planar_dataset`` draw for draw: with ``seed=1`` and ``m=400``
    (and the course's noise, 0.2) the result is the course's data set bit for bit.

    Parameters
    ----------
    seed : int
        Seed of a private ``numpy.random.RandomState`` (the course calls ``np.random.seed(1)``).
    m : int
        Number of points, even; half of each class.
    noise : float
        Standard deviation of the Gaussian noise on each point's angle and radius.

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
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.randn(n) * noise  # theta
        r = a * np.sin(4 * t) + rng.randn(n) * noise  # radius
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T  # (2, m), (1, m)


def _spiral(seed: int, m: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TensorFlow Playground's spiral: two arms of ``m / 2`` points, class 1 first."""
    rng = np.random.RandomState(seed)
    n = m // 2
    i = np.arange(n)
    r = i / n * 5  # (n,)
    X = np.empty((2, m))
    for j, turn in enumerate((0.0, np.pi)):  # class 1's arm, then class 0's, half a turn further
        t = 1.75 * i / n * 2 * np.pi + turn  # (n,)
        jitter = rng.uniform(-1, 1, size=(2, n)) * noise  # (2, n)
        X[:, j * n : (j + 1) * n] = np.vstack([r * np.sin(t), r * np.cos(t)]) + jitter
    Y = np.repeat([1.0, 0.0], n).reshape(1, m)
    return X, Y


def _xor(seed: int, m: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TensorFlow Playground's XOR: class 1 where ``x1 * x2 >= 0`` (after the labels' noise)."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-5, 5, size=(2, m))  # (2, m)
    X += np.where(X > 0, 0.3, -0.3)  # the Playground's padding away from the axes
    shifted = X + rng.uniform(-5, 5, size=(2, m)) * noise  # noise moves the labels, not the points
    Y = (shifted[0] * shifted[1] >= 0).astype(np.float64).reshape(1, m)
    return X, Y


def _sklearn_dataset(name: str, seed: int, m: int, noise: float, factor: float) -> tuple[np.ndarray, np.ndarray]:
    # Imported lazily: scikit-learn is slow to import and only these sets need it.
    from sklearn import datasets

    if name == "moons":
        x, y = datasets.make_moons(n_samples=m, noise=noise, random_state=seed)
    elif name == "circles":
        x, y = datasets.make_circles(n_samples=m, factor=factor, noise=noise, random_state=seed)
    elif name == "blobs":
        x, y = datasets.make_blobs(n_samples=m, random_state=seed, n_features=2, centers=6, cluster_std=noise)
        y = y % 2
    elif name == "gaussian_quantiles":
        x, y = datasets.make_gaussian_quantiles(
            mean=None, cov=0.5, n_samples=m, n_features=2, n_classes=2, shuffle=True, random_state=seed
        )
    else:  # pragma: no cover - guarded by load_dataset
        raise ValueError(name)
    return x.T.astype(np.float64), y.reshape(1, m).astype(np.float64)


def load_dataset(
    name: str, seed: int = 1, points: int | None = None, noise: float | None = None, factor: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Load one of :data:`nncore.config.DATASETS` by name.

    Parameters
    ----------
    name : str
        ``flower``, ``moons``, ``circles``, ``blobs``, ``gaussian_quantiles``, ``spiral`` or ``xor``.
    seed : int
        Seed of the draws.
    points : int or None
        Number of points; ``None`` for the data set's default (:data:`DEFAULT_POINTS`).
    noise : float or None
        The data set's noise; ``None`` for its default (:data:`DEFAULT_NOISE`). Not used by
        ``gaussian_quantiles``.
    factor : float or None
        ``circles`` only: the inner circle's radius relative to the outer one (default
        :data:`DEFAULT_FACTOR`).

    Returns
    -------
    X : ndarray, shape (2, m)
    Y : ndarray, shape (1, m)
    """
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; allowed: {', '.join(DATASETS)}")
    m = DEFAULT_POINTS[name] if points is None else points
    level = DEFAULT_NOISE.get(name, 0.0) if noise is None else noise
    if name == "flower":
        return load_flower(seed, m, level)
    if name == "spiral":
        return _spiral(seed, m, level)
    if name == "xor":
        return _xor(seed, m, level)
    return _sklearn_dataset(name, seed, m, level, DEFAULT_FACTOR if factor is None else factor)


def features(P: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The network's inputs: one row per feature of :data:`nncore.config.FEATURES`, computed from the points.

    Parameters
    ----------
    P : ndarray, shape (2, m)
        The points' coordinates ``x1`` (row 0) and ``x2`` (row 1).
    names : tuple of str
        Features in the order of the rows, e.g. ``("x1", "x2", "x1*x2")``.

    Returns
    -------
    ndarray, shape (len(names), m)
        ``P`` itself for the default ``("x1", "x2")``.
    """
    if names == ("x1", "x2"):
        return P
    x1, x2 = P[0], P[1]  # (m,) each
    rows = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1^2": lambda: x1 * x1,
        "x2^2": lambda: x2 * x2,
        "x1*x2": lambda: x1 * x2,
        "sin(x1)": lambda: np.sin(x1),
        "sin(x2)": lambda: np.sin(x2),
    }
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {', '.join(unknown)}; allowed: {', '.join(FEATURES)}")
    return np.vstack([rows[n]() for n in names])  # (n_x, m)


class Data(NamedTuple):
    """A config's data: the network's inputs, labels and the points they come from, for training and test.

    ``P`` is ``X`` itself when the features are the default ``x1, x2``. The test arrays have
    ``m_test = 0`` columns when the config asks for no test set.
    """

    X: np.ndarray  # (n_x, m)
    Y: np.ndarray  # (1, m)
    P: np.ndarray  # (2, m)
    X_test: np.ndarray  # (n_x, m_test)
    Y_test: np.ndarray  # (1, m_test)
    P_test: np.ndarray  # (2, m_test)


def load_data(cfg: TrainConfig) -> Data:
    """Draw ``cfg``'s training set (seed ``data_seed``) and test set (``test_data_seed``), and their features."""
    P, Y = load_dataset(cfg.dataset, cfg.data_seed, cfg.points, cfg.noise, cfg.factor)  # (2, m), (1, m)
    if cfg.test_points:
        P_test, Y_test = load_dataset(cfg.dataset, cfg.test_data_seed, cfg.test_points, cfg.noise, cfg.factor)
    else:
        P_test, Y_test = np.empty((2, 0)), np.empty((1, 0))
    return Data(features(P, cfg.features), Y, P, features(P_test, cfg.features), Y_test, P_test)
