"""Batch gradient descent that records every iteration into a :class:`History`.

``python -m nncore train`` calls :func:`train`; ``benchmarks/bench_train.py`` compares it with
:func:`train_bare`, the same loop without recording.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nncore import __version__
from nncore.config import TrainConfig
from nncore.data import load_dataset
from nncore.errors import HistoryError, TrainingDiverged
from nncore.history import SCHEMA_VERSION, History
from nncore.model import Params, accuracy, backward, cost, forward, init_params, update

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` every so often during training."""

_PROGRESS_EVERY = 250


def train(cfg: TrainConfig, progress: ProgressCallback | None = None) -> History:
    """Train the network described by ``cfg`` and record its whole history.

    Parameters
    ----------
    cfg : TrainConfig
    progress : callable, optional
        Called with ``(iterations done, total)`` every few hundred iterations and at the end.

    Returns
    -------
    History
        Validated; the same ``cfg`` always gives identical arrays.

    Raises
    ------
    TrainingDiverged
        If the cost stops being finite (a learning rate far too large).
    """
    X, Y = load_dataset(cfg.dataset, cfg.data_seed, cfg.points)  # (2, m), (1, m)
    n_x, n_h, T = X.shape[0], cfg.hidden_units, cfg.iterations
    lr = float(cfg.learning_rate)
    p = init_params(n_x, n_h, 1, cfg.init_seed)

    W1 = np.empty((T + 1, n_h, n_x))
    b1 = np.empty((T + 1, n_h, 1))
    W2 = np.empty((T + 1, 1, n_h))
    b2 = np.empty((T + 1, 1, 1))
    costs = np.empty(T + 1)
    accs = np.empty(T + 1)
    dW1 = np.empty((T, n_h, n_x))
    db1 = np.empty((T, n_h, 1))
    dW2 = np.empty((T, 1, n_h))
    db2 = np.empty((T, 1, 1))

    # Overflow can only come from a diverging run, which the finiteness check below reports.
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(T + 1):
            c = forward(X, p)
            J = cost(c.Z2, Y)
            if not math.isfinite(J):
                raise TrainingDiverged(i, lr)
            W1[i], b1[i], W2[i], b2[i] = p
            costs[i] = J
            accs[i] = accuracy(c.A2, Y)
            if i == T:
                break
            g = backward(X, Y, p, c)
            dW1[i], db1[i], dW2[i], db2[i] = g
            p = update(p, g, lr)
            if progress is not None and i % _PROGRESS_EVERY == 0:
                progress(i, T)
    if progress is not None:
        progress(T, T)

    history = History(history_meta(cfg, X), X, Y, W1, b1, W2, b2, costs, accs, dW1, db1, dW2, db2)
    history.validate("trained history")
    return history


def history_meta(cfg: TrainConfig, X: np.ndarray) -> dict[str, Any]:
    """The ``meta`` entry of a history trained with ``cfg`` on inputs ``X`` of shape ``(n_x, m)``.

    :func:`train` and the vectorised sweep trainer (:mod:`nncore.sweep`) both use it, so their
    histories of the same config are identical, meta included.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "config": cfg.to_dict(),
        "dataset": {"name": cfg.dataset, "seed": cfg.data_seed, "m": int(X.shape[1]), "n_x": int(X.shape[0])},
        "seeds": {"data_seed": cfg.data_seed, "init_seed": cfg.init_seed},
        "nncore_version": __version__,
    }


def train_bare(cfg: TrainConfig) -> tuple[Params, float]:
    """The same training loop as :func:`train`, recording nothing: the benchmark's baseline.

    Like the course's ``nn_model``, it still computes the cost every iteration.

    Returns
    -------
    params : Params
        The final parameters.
    cost : float
        The cost of the final parameters.
    """
    X, Y = load_dataset(cfg.dataset, cfg.data_seed, cfg.points)
    p = init_params(X.shape[0], cfg.hidden_units, 1, cfg.init_seed)
    lr = float(cfg.learning_rate)
    for _ in range(cfg.iterations):
        c = forward(X, p)
        cost(c.Z2, Y)
        p = update(p, backward(X, Y, p, c), lr)
    return p, cost(forward(X, p).Z2, Y)


def ensure_history(
    cfg: TrainConfig, path: str | Path, progress: ProgressCallback | None = None
) -> tuple[History, bool]:
    """Load the history at ``path`` if it was trained with ``cfg``, else train and save it.

    A missing file, a file of another schema version or a malformed one, or one trained with
    another config, is (re)built; the write is atomic.

    Returns
    -------
    history : History
    trained : bool
        True if training ran.
    """
    path = Path(path)
    if path.exists():
        try:
            history = History.load(path)
        except HistoryError:
            history = None
        if history is not None and history.meta["config"] == cfg.to_dict():
            return history, False
    history = train(cfg, progress)
    history.save(path)
    return history, True
