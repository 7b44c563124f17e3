"""Update rules, learning-rate decay and mini-batches of the course's week-2 notebook, as pure functions.

``python -m nncore train`` with ``[train] optimizer = "momentum"`` or ``"adam"``, ``batch_size``
or ``decay_rate`` uses them; ``tests/test_network.py`` checks them against the course's published
update test cases. Each rule computes exactly what the course's ``update_parameters_with_gd``,
``update_parameters_with_momentum`` and ``update_parameters_with_adam`` compute, in their order:

- gradient descent: ``W = W - lr dW``;
- momentum: ``v = beta v + (1 - beta) dW``, ``W = W - lr v``;
- Adam: ``v = beta1 v + (1 - beta1) dW``, ``s = beta2 s + (1 - beta2) dW**2``,
  ``W = W - lr (v / (1 - beta1**t)) / (sqrt(s / (1 - beta2**t)) + epsilon)``, ``t`` counting updates from 1.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nncore.network import Grads, Net


class Moments(NamedTuple):
    """An optimiser's running averages, one array per parameter, laid out as :class:`~nncore.network.Grads`.

    ``v`` is momentum's velocity or Adam's first moment; ``s`` is Adam's second moment (empty
    tuples where a rule has none).
    """

    vdW: tuple[np.ndarray, ...]  # (n_l, n_{l-1})
    vdb: tuple[np.ndarray, ...]  # (n_l, 1)
    sdW: tuple[np.ndarray, ...]
    sdb: tuple[np.ndarray, ...]


def zero_moments(net: Net, optimizer: str) -> Moments:
    """The course's ``initialize_velocity`` / ``initialize_adam``: zeros shaped like the parameters."""
    zeros = tuple(np.zeros_like(W) for W in net.W), tuple(np.zeros_like(b) for b in net.b)
    if optimizer == "gd":
        return Moments((), (), (), ())
    if optimizer == "momentum":
        return Moments(*zeros, (), ())
    return Moments(*zeros, *(tuple(np.zeros_like(a) for a in group) for group in zeros))


def gd_step(net: Net, g: Grads, lr: float) -> Net:
    """One gradient-descent update: ``theta - lr * dtheta`` for every parameter."""
    return Net(
        tuple(W - lr * dW for W, dW in zip(net.W, g.dW, strict=True)),
        tuple(b - lr * db for b, db in zip(net.b, g.db, strict=True)),
    )


def momentum_step(net: Net, g: Grads, state: Moments, lr: float, beta: float) -> tuple[Net, Moments]:
    """One update with momentum; returns the new parameters and velocities."""
    vdW = tuple(beta * v + (1 - beta) * d for v, d in zip(state.vdW, g.dW, strict=True))
    vdb = tuple(beta * v + (1 - beta) * d for v, d in zip(state.vdb, g.db, strict=True))
    W = tuple(w - lr * v for w, v in zip(net.W, vdW, strict=True))
    b = tuple(c - lr * v for c, v in zip(net.b, vdb, strict=True))
    return Net(W, b), Moments(vdW, vdb, (), ())


def adam_corrections(t: int, beta1: float, beta2: float) -> tuple[float, float]:
    """Adam's bias-correction divisors of update ``t`` (from 1): ``1 - beta1**t`` and ``1 - beta2**t``."""
    return 1 - beta1**t, 1 - beta2**t


def adam_step(
    net: Net, g: Grads, state: Moments, t: int, lr: float, beta1: float, beta2: float, epsilon: float
) -> tuple[Net, Moments]:
    """One Adam update (``t``: this update's number, from 1); returns the new parameters and moments."""
    c1, c2 = adam_corrections(t, beta1, beta2)

    def one(theta: np.ndarray, d: np.ndarray, v: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, ...]:
        v = beta1 * v + (1 - beta1) * d
        s = beta2 * s + (1 - beta2) * d**2
        return theta - lr * (v / c1) / (np.sqrt(s / c2) + epsilon), v, s

    Ws = [one(*a) for a in zip(net.W, g.dW, state.vdW, state.sdW, strict=True)]
    bs = [one(*a) for a in zip(net.b, g.db, state.vdb, state.sdb, strict=True)]
    W, vdW, sdW = (tuple(x) for x in zip(*Ws, strict=True))
    b, vdb, sdb = (tuple(x) for x in zip(*bs, strict=True))
    return Net(W, b), Moments(vdW, vdb, sdW, sdb)


def epoch_rate(lr0: float, epoch: int, decay_rate: float, interval: int) -> float:
    """The learning rate of epoch ``epoch`` (from 0) with the course's decay.

    The course updates the rate after each epoch ``i`` to ``lr0 / (1 + decay_rate * floor(i /
    interval))``, so epoch 0 and epoch 1 run at ``lr0`` and epoch ``e >= 1`` at the rate set after
    epoch ``e - 1``. ``interval = 1`` is its ``update_lr``, ``interval = 1000`` its
    ``schedule_lr_decay``; ``decay_rate = 0`` keeps ``lr0``.
    """
    if epoch == 0 or decay_rate == 0:
        return lr0
    return float(lr0 / (1 + decay_rate * np.floor((epoch - 1) / interval)))


def permutation(m: int, seed: int, rng: np.random.RandomState | None = None) -> np.ndarray:
    """The course's shuffle in ``random_mini_batches``: ``np.random.seed(seed); np.random.permutation(m)``.

    ``rng``, if given, is re-seeded and used: the same draws as a new ``RandomState(seed)``, for
    5 µs instead of 120 (a new one sets up NumPy's error state and its bit generator).
    """
    if rng is None:
        rng = np.random.RandomState(seed)
    else:
        rng.seed(seed)
    return rng.permutation(m)  # (m,)


def epoch_order(m: int, epoch: int, batch_seed: int, rng: np.random.RandomState | None = None) -> np.ndarray:
    """The order in which epoch ``epoch`` (from 0) visits the ``m`` examples, shape ``(m,)``.

    The course's loop adds 1 to its seed before each epoch's ``random_mini_batches``: epoch ``e``
    shuffles with seed ``batch_seed + e + 1`` (11, 12, ... for the course's 10).
    """
    return permutation(m, (batch_seed + epoch + 1) % 2**32, rng)


def batch_slices(m: int, batch_size: int) -> list[slice]:
    """The mini-batches' positions in an epoch's order: full batches of ``batch_size``, then the rest."""
    return [slice(k, min(k + batch_size, m)) for k in range(0, m, batch_size)]
