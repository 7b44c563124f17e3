"""The 2-n_h-1 network of the course as pure functions: forward, cost, backward, update, predict.

``python -m nncore train`` runs them; ``tests/test_model.py`` checks them against central
finite differences and the course's published numbers.

Shapes follow the course: one example per column. ``n_x`` inputs, ``n_h`` tanh hidden units, one
sigmoid output, ``m`` examples.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np


def _logistic_ufuncs() -> tuple[Any, Any]:
    """SciPy's ``expit`` and ``log_expit`` ufuncs, without importing ``scipy.special`` (0.1 to 0.2 s).

    Both live in the compiled module ``scipy.special._special_ufuncs``, which needs nothing but
    NumPy; loading it from its file skips the package's ``__init__``, which imports hundreds of
    functions (and, through ``scipy._lib``, ``numpy.f2py``). They are the very same functions, so
    the numbers are too (``tests/test_model.py`` checks it); if SciPy ever moves them, the public
    import is used. NumPy's ``exp`` would not do: its SIMD kernels round differently from the C
    library's that SciPy calls, and the lecture's history must stay the same bit for bit.
    """
    try:
        spec = importlib.util.find_spec("scipy")
        assert spec is not None and spec.origin is not None
        folder = Path(spec.origin).parent / "special"
        name = "scipy.special._special_ufuncs"
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        path = next(str(f) for f in folder.glob("_special_ufuncs.*") if f.name.endswith(suffixes))
        module_spec = importlib.util.spec_from_file_location(name, path)
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        return module.expit, module.log_expit
    except Exception:  # pragma: no cover - another SciPy layout
        from scipy.special import expit, log_expit

        return expit, log_expit


expit, log_expit = _logistic_ufuncs()


class Params(NamedTuple):
    """The network's parameters."""

    W1: np.ndarray  # (n_h, n_x)
    b1: np.ndarray  # (n_h, 1)
    W2: np.ndarray  # (1, n_h)
    b2: np.ndarray  # (1, 1)


class Cache(NamedTuple):
    """Intermediate values of the forward pass, needed by :func:`backward`."""

    Z1: np.ndarray  # (n_h, m)
    A1: np.ndarray  # (n_h, m)
    Z2: np.ndarray  # (1, m)
    A2: np.ndarray  # (1, m)


class Grads(NamedTuple):
    """Gradients of the cost with respect to each parameter, averaged over the ``m`` examples."""

    dW1: np.ndarray  # (n_h, n_x)
    db1: np.ndarray  # (n_h, 1)
    dW2: np.ndarray  # (1, n_h)
    db2: np.ndarray  # (1, 1)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function ``1 / (1 + exp(-z))``, without overflow for large ``|z|``."""
    a: np.ndarray = expit(z)
    return a


def init_params(n_x: int, n_h: int, n_y: int = 1, seed: int = 2) -> Params:
    """Initialise as the course (v6c) does: small Gaussian weights, zero biases.

    ``W1 = randn(n_h, n_x) * 0.01`` then ``W2 = randn(n_y, n_h) * 0.01`` from one
    ``RandomState(seed)`` stream, so that ``seed=2`` gives the course's initial parameters.
    """
    rng = np.random.RandomState(seed)
    W1 = rng.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = rng.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return Params(W1, b1, W2, b2)


def forward(X: np.ndarray, p: Params) -> Cache:
    """Forward propagation.

    ``Z1 = W1 X + b1``, ``A1 = tanh(Z1)``, ``Z2 = W2 A1 + b2``, ``A2 = sigmoid(Z2)``.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
    p : Params

    Returns
    -------
    Cache
    """
    Z1 = p.W1 @ X + p.b1  # (n_h, m)
    A1 = np.tanh(Z1)  # (n_h, m)
    Z2 = p.W2 @ A1 + p.b2  # (1, m)
    A2 = expit(Z2)  # (1, m)
    return Cache(Z1, A1, Z2, A2)


def cost(Z2: np.ndarray, Y: np.ndarray) -> float:
    """Log loss ``-1/m * sum(Y log A2 + (1 - Y) log(1 - A2))`` with ``A2 = sigmoid(Z2)``.

    Computed from the logits with ``log(sigmoid(z))`` evaluated stably, so a saturated output
    (``A2`` exactly 0 or 1 in floating point) gives a large finite cost instead of ``inf``/NaN,
    while agreeing with the course's formula to rounding elsewhere.

    Parameters
    ----------
    Z2 : ndarray, shape (1, m)
    Y : ndarray, shape (1, m)

    Returns
    -------
    float
    """
    m = Y.shape[1]
    logprobs = Y * log_expit(Z2) + (1.0 - Y) * log_expit(-Z2)  # (1, m)
    return float(-np.sum(logprobs) / m)


def cost_of_signs(Z2: np.ndarray, signs: np.ndarray) -> float:
    """:func:`cost` for labels that are exactly 0 or 1, given as ``signs = 2 Y - 1``: the same bits at half the work.

    With such labels one term of ``Y log A2 + (1 - Y) log(1 - A2)`` is ``+-0``, so each element is
    ``log_expit(+Z2)`` where ``Y = 1`` and ``log_expit(-Z2)`` where ``Y = 0``, exactly, and so is the
    sum. Where ``Z2`` is not finite :func:`cost` gives NaN (``0 * inf``) and this may not: callers
    that check for divergence check ``Z2`` too (:mod:`nncore.train`, :mod:`nncore.batch`).

    Parameters
    ----------
    Z2 : ndarray, shape (1, m)
    signs : ndarray, shape (1, m)
        +1.0 where the label is 1, -1.0 where it is 0.
    """
    return float(-np.sum(log_expit(signs * Z2)) / Z2.shape[1])


def backward(X: np.ndarray, Y: np.ndarray, p: Params, c: Cache) -> Grads:
    """Backward propagation of the log loss.

    ``dZ2 = A2 - Y``, ``dW2 = dZ2 A1^T / m``, ``db2 = sum(dZ2) / m``,
    ``dZ1 = W2^T dZ2 * (1 - A1^2)``, ``dW1 = dZ1 X^T / m``, ``db1 = sum(dZ1) / m``.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
    p : Params
    c : Cache
        From :func:`forward` with the same ``X`` and ``p``.

    Returns
    -------
    Grads
    """
    m = X.shape[1]
    dZ2 = c.A2 - Y  # (1, m)
    dW2 = dZ2 @ c.A1.T / m  # (1, n_h)
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m  # (1, 1)
    dZ1 = (p.W2.T @ dZ2) * (1.0 - c.A1**2)  # (n_h, m)
    dW1 = dZ1 @ X.T / m  # (n_h, n_x)
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m  # (n_h, 1)
    return Grads(dW1, db1, dW2, db2)


def update(p: Params, g: Grads, learning_rate: float) -> Params:
    """One step of gradient descent: ``theta - learning_rate * dtheta`` for every parameter."""
    return Params(
        p.W1 - learning_rate * g.dW1,
        p.b1 - learning_rate * g.db1,
        p.W2 - learning_rate * g.dW2,
        p.b2 - learning_rate * g.db2,
    )


def predict_proba(X: np.ndarray, p: Params) -> np.ndarray:
    """Predicted probability of class 1, ``A2``, shape ``(1, m)``."""
    return forward(X, p).A2


def predict(X: np.ndarray, p: Params) -> np.ndarray:
    """Predicted class (0.0 or 1.0), ``A2 > 0.5``, shape ``(1, m)``."""
    return (predict_proba(X, p) > 0.5).astype(np.float64)


def accuracy(A2: np.ndarray, Y: np.ndarray) -> float:
    """Fraction of examples whose thresholded prediction ``A2 > 0.5`` equals the label."""
    return float(np.count_nonzero((A2 > 0.5) == (Y > 0.5)) / Y.shape[1])


def predict_grid(p: Params, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Predicted probability on a grid, for heatmaps of the decision boundary.

    Parameters
    ----------
    p : Params
    xs : ndarray, shape (nx,)
        Grid coordinates along the first input.
    ys : ndarray, shape (ny,)
        Grid coordinates along the second input.

    Returns
    -------
    ndarray, shape (ny, nx)
        ``A2`` at ``(xs[j], ys[i])`` in row ``i``, column ``j``.
    """
    gx, gy = np.meshgrid(xs, ys)  # (ny, nx) each
    grid = np.vstack([gx.ravel(), gy.ravel()])  # (2, ny * nx)
    return predict_proba(grid, p).reshape(gy.shape)
