"""Training that records every snapshot of a run into a :class:`History`.

``python -m nncore train`` calls :func:`train`; ``benchmarks/bench_train.py`` compares its whole
process with a bare NumPy loop's.

Two loops share the recording: :func:`_descend_week3` trains week 3's network (one hidden tanh
layer, full-batch gradient descent: the lecture's runs) with :mod:`nncore.model`, exactly as
before deeper networks existed; :func:`_descend_layers` trains every other configuration with
:mod:`nncore.network` and :mod:`nncore.optimizers`, as the course's later notebooks compute.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nncore.config import TrainConfig
from nncore.data import Data, load_data
from nncore.errors import HistoryError, TrainingDiverged
from nncore.history import SCHEMA_VERSION, History, layout
from nncore.model import Params, accuracy, backward, cost, cost_of_signs, forward, update
from nncore.network import Net, Trace, cross_entropy, init_net, l2_term, sizes_of
from nncore.network import accuracy as layer_accuracy
from nncore.network import backward as layer_backward
from nncore.network import forward as layer_forward
from nncore.optimizers import (
    Moments,
    adam_corrections,
    adam_step,
    batch_slices,
    epoch_order,
    epoch_rate,
    gd_step,
    momentum_step,
    zero_moments,
)
from nncore.version import __version__

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` every so often during training (epochs)."""

_PROGRESS_EVERY = 250

Arrays = dict[str, np.ndarray]


def train(cfg: TrainConfig, progress: ProgressCallback | None = None) -> History:
    """Train the network described by ``cfg`` and record its whole history.

    Parameters
    ----------
    cfg : TrainConfig
    progress : callable, optional
        Called with ``(epochs done, total)`` every few hundred epochs and at the end.

    Returns
    -------
    History
        Validated; the same ``cfg`` always gives identical arrays.

    Raises
    ------
    TrainingDiverged
        If the numbers stop being finite (a learning rate far too large). An infinite cost from
        a saturated output with finite parameters (the course's random initialisation) is not
        divergence: it is recorded.
    """
    data = load_data(cfg)
    arrays: Arrays = {"X": data.X, "Y": data.Y}
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if cfg.is_course_week3:
            arrays.update(_descend_week3(cfg, data, progress))
        else:
            arrays.update(_descend_layers(cfg, data, progress))
    if progress is not None:
        progress(cfg.iterations, cfg.iterations)
    if cfg.features != ("x1", "x2"):
        arrays["points"] = data.P
    if cfg.test_points:
        arrays.update(X_test=data.X_test, Y_test=data.Y_test)
        if cfg.features != ("x1", "x2"):
            arrays["points_test"] = data.P_test
    order = layout(cfg, data.X.shape[1], data.X_test.shape[1])
    history = History.from_arrays(history_meta(cfg, data), {name: arrays[name] for name in order})
    history.validate("trained history")
    return history


def _descend_week3(cfg: TrainConfig, data: Data, progress: ProgressCallback | None) -> Arrays:
    """Batch gradient descent of week 3's network with :mod:`nncore.model`, recording every iteration.

    The arithmetic of the lecture's runs before deeper networks existed, unchanged: the default
    config's history is the same, bit for bit.
    """
    X, Y = data.X, data.Y  # (n_x, m), (1, m)
    n_x, n_h, T = X.shape[0], cfg.hidden_units, cfg.iterations
    lr = float(cfg.learning_rate)
    net = init_net((n_x, n_h, 1), cfg.init, cfg.init_seed)  # init_params's draws for init = "course"
    p = Params(net.W[0], net.b[0], net.W[1], net.b[1])

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
    out: Arrays = dict(W1=W1, b1=b1, W2=W2, b2=b2, cost=costs, accuracy=accs, dW1=dW1, db1=db1, dW2=dW2, db2=db2)
    if cfg.test_points:
        out["test_cost"], out["test_accuracy"] = np.empty(T + 1), np.empty(T + 1)

    # Labels are 0 or 1: cost_of_signs is cost's number for half its work, and accuracy's
    # comparison with the labels is made once (tests/test_train.py checks the history against
    # main's formulas, bit for bit).
    if not np.all((Y == 0.0) | (Y == 1.0)):  # pragma: no cover - every loader draws 0/1 labels
        raise ValueError("week 3's trainer needs labels that are exactly 0 or 1")
    signs, labels, m = np.where(Y > 0.5, 1.0, -1.0), Y > 0.5, X.shape[1]  # (1, m), (1, m)
    for i in range(T + 1):
        c = forward(X, p)
        J = cost_of_signs(c.Z2, signs)
        if not (math.isfinite(J) and np.isfinite(c.Z2).all()):  # where cost would be NaN or infinite
            raise TrainingDiverged(i, lr)
        W1[i], b1[i], W2[i], b2[i] = p
        costs[i] = J
        accs[i] = np.count_nonzero((c.A2 > 0.5) == labels) / m  # accuracy(c.A2, Y)
        if cfg.test_points:
            ct = forward(data.X_test, p)
            out["test_cost"][i] = cost(ct.Z2, data.Y_test)
            out["test_accuracy"][i] = accuracy(ct.A2, data.Y_test)
        if i == T:
            break
        g = backward(X, Y, p, c)
        dW1[i], db1[i], dW2[i], db2[i] = g
        p = update(p, g, lr)
        if progress is not None and i % _PROGRESS_EVERY == 0:
            progress(i, T)
    return out


def _descend_layers(cfg: TrainConfig, data: Data, progress: ProgressCallback | None) -> Arrays:
    """Any network, update rule, mini-batches, L2, dropout and decay, as the course's later notebooks compute.

    Each epoch: take the snapshot (parameters, optimiser state, cost and accuracy on the whole
    training set and the test set), then run the epoch's updates, recording the gradients of the
    first, each update's own cost, the mini-batch order and the dropout masks.
    """
    X, Y = data.X, data.Y  # (n_x, m), (1, m)
    m = X.shape[1]
    E, act, keep = cfg.iterations, cfg.activation, cfg.keep_prob
    net = init_net(sizes_of(X.shape[0], cfg.layers), cfg.init, cfg.init_seed)
    L = len(net.W)
    state = zero_moments(net, cfg.optimizer)
    rec = {n: np.empty(s, d) for n, (s, d) in layout(cfg, m, data.X_test.shape[1]).items() if n not in _DATA_ARRAYS}
    params = [(rec[f"W{l}"], rec[f"b{l}"]) for l in range(1, L + 1)]
    grads = [(rec[f"dW{l}"], rec[f"db{l}"]) for l in range(1, L + 1)]
    dropout = keep < 1
    rng = np.random.RandomState(cfg.dropout_seed) if dropout else None
    epoch_masks = [np.empty((n, m), dtype=bool) for n in cfg.layers] if dropout else []
    slices = batch_slices(m, cfg.batch_size) if cfg.batch_size is not None else [slice(0, m)]
    # Full-batch training without dropout computes the same forward pass as the snapshot: reuse it.
    reuse = cfg.batch_size is None and not dropout
    shuffler = np.random.RandomState()
    t = u = 0
    for e in range(E + 1):
        for (W, b), w, c in zip(params, net.W, net.b, strict=True):
            W[e], b[e] = w, c
        _keep_moments(rec, e, state, t, cfg)
        snapshot = layer_forward(X, net, act)
        ce = cross_entropy(snapshot.A[-1], Y)
        if not np.isfinite(snapshot.Z[-1]).all() or math.isnan(ce):
            raise TrainingDiverged(e, cfg.learning_rate, "the network's outputs stopped being finite")
        rec["cost"][e] = ce + l2_term(net, cfg.l2, m)
        rec["accuracy"][e] = layer_accuracy(snapshot.A[-1], Y)
        if cfg.l2 > 0:
            rec["cross_entropy"][e] = ce
        if cfg.test_points:
            AL = layer_forward(data.X_test, net, act).A[-1]
            rec["test_cost"][e] = cross_entropy(AL, data.Y_test)
            rec["test_accuracy"][e] = layer_accuracy(AL, data.Y_test)
        if e == E:
            break
        lr = epoch_rate(cfg.learning_rate, e, cfg.decay_rate, cfg.decay_interval)
        if cfg.decay_rate > 0:
            rec["learning_rates"][e] = lr
        if cfg.batch_size is not None:
            order = epoch_order(m, e, cfg.batch_seed, shuffler)  # (m,)
            rec["batch_order"][e] = order
            Xs, Ys = X[:, order], Y[:, order]  # (n_x, m), (1, m)
        else:
            order, Xs, Ys = np.arange(m), X, Y
        for k, sl in enumerate(slices):
            Xb, Yb = Xs[:, sl], Ys[:, sl]  # (n_x, m_b), (1, m_b)
            masks = None
            if rng is not None:
                masks = tuple(rng.rand(n, Xb.shape[1]) < keep for n in cfg.layers)  # (n_l, m_b) each
                for full, mask in zip(epoch_masks, masks, strict=True):
                    full[:, order[sl]] = mask
            trace: Trace = snapshot if reuse else layer_forward(Xb, net, act, masks, keep)
            if "batch_cost" in rec:  # a pass of its own (else the snapshot's, checked above)
                if not np.isfinite(trace.Z[-1]).all():
                    raise TrainingDiverged(e, cfg.learning_rate, "the network's outputs stopped being finite")
                rec["batch_cost"][u] = cross_entropy(trace.A[-1], Yb) + l2_term(net, cfg.l2, Xb.shape[1])
            g = layer_backward(Xb, Yb, net, trace, act, masks, keep, cfg.l2)
            if k == 0:
                for (dW, db), gw, gb in zip(grads, g.dW, g.db, strict=True):
                    dW[e], db[e] = gw, gb
            t += 1
            if cfg.optimizer == "adam":
                net, state = adam_step(net, g, state, t, lr, cfg.beta1, cfg.beta2, cfg.epsilon)
            elif cfg.optimizer == "momentum":
                net, state = momentum_step(net, g, state, lr, cfg.beta)
            else:
                net = gd_step(net, g, lr)
            u += 1
        for l, full in enumerate(epoch_masks, start=1):
            rec[f"dropout{l}"][e] = np.packbits(full, axis=-1)
        if progress is not None and e % _PROGRESS_EVERY == 0:
            progress(e, E)
    _check_final(net, cfg)
    return rec


_DATA_ARRAYS = ("X", "Y", "X_test", "Y_test", "points", "points_test")


def _keep_moments(rec: Arrays, e: int, state: Moments, t: int, cfg: TrainConfig) -> None:
    """The optimiser's state at snapshot ``e``: its averages, and Adam's counter and corrections."""
    for k, (dWs, dbs) in (("v", (state.vdW, state.vdb)), ("s", (state.sdW, state.sdb))):
        for l, (dW, db) in enumerate(zip(dWs, dbs, strict=True), start=1):
            rec[f"{k}dW{l}"][e], rec[f"{k}db{l}"][e] = dW, db
    if cfg.optimizer == "adam":
        rec["adam_t"][e] = t
        rec["adam_correction1"][e], rec["adam_correction2"][e] = adam_corrections(t + 1, cfg.beta1, cfg.beta2)


def _check_final(net: Net, cfg: TrainConfig) -> None:
    """The last update's parameters must be finite too (the snapshot after it checked its outputs)."""
    if not all(np.isfinite(W).all() for W in net.W):
        raise TrainingDiverged(cfg.iterations, cfg.learning_rate, "the parameters stopped being finite")


def history_meta(cfg: TrainConfig, data: Data) -> dict[str, Any]:
    """The ``meta`` entry of a history trained with ``cfg`` on ``data``.

    :func:`train` and the vectorised sweep trainer (:mod:`nncore.batch`) both use it, so their
    histories of the same config are identical, meta included.
    """
    n_x, m = (int(n) for n in data.X.shape)
    seeds = {"data_seed": cfg.data_seed, "init_seed": cfg.init_seed}
    if cfg.test_points:
        seeds["test_seed"] = cfg.test_data_seed
    if cfg.batch_size is not None:
        seeds["batch_seed"] = cfg.batch_seed
    if cfg.keep_prob < 1:
        seeds["dropout_seed"] = cfg.dropout_seed
    return {
        "schema_version": SCHEMA_VERSION,
        "config": cfg.to_dict(),
        "dataset": {"name": cfg.dataset, "seed": cfg.data_seed, "m": m, "n_x": n_x, "m_test": cfg.test_points},
        "seeds": seeds,
        "network": {
            "sizes": list(sizes_of(n_x, cfg.layers)),
            "activation": cfg.activation,
            "output": "sigmoid",
            "arithmetic": "week3" if cfg.is_course_week3 else "layers",
        },
        "training": {"epochs": cfg.iterations, "updates": cfg.updates, "batches_per_epoch": cfg.batches},
        "nncore_version": __version__,
    }


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
        if history is not None and history.trained_with(cfg):
            return history, False
    history = train(cfg, progress)
    history.save(path)
    return history, True
