"""Training several configs at once, each result identical, bit for bit, to :func:`nncore.train`.

``python -m nncore sweep`` trains a sweep's variations with :func:`train_many`, which groups the
configs that share a data-set size and an iteration count and trains each group with
:func:`train_group`: one vectorised gradient-descent loop over all their hidden units at once.
The arrays are *identical* to :func:`nncore.train` of each variation's config: every matrix
product is still computed per variation with the same shapes, so BLAS does the same arithmetic,
and only the element-wise work (tanh, sigmoid, the update) is shared.
``benchmarks/bench_sweep.py`` compares this with training one after the other and with parallel
processes; ``tests/test_sweep.py`` asserts the equality.

A group is trained in named steps: :class:`_Stack` lays the variations side by side,
:class:`_Net` holds the stacked network and does one forward pass, cost, backward pass and update
in place, :class:`_Record` keeps every iteration of every variation and cuts out their histories,
and :func:`_descend` is the loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nncore.config import TrainConfig
from nncore.data import Data, load_data
from nncore.errors import TrainingDiverged
from nncore.history import History, layout
from nncore.model import expit, log_expit  # scipy.special's, without importing it
from nncore.network import init_net
from nncore.train import ProgressCallback, history_meta, train

_PROGRESS_EVERY = 250


def train_many(
    cfgs: Sequence[TrainConfig], progress: ProgressCallback | None = None
) -> list[History | TrainingDiverged]:
    """Train several configs, vectorising those that share a data-set size, inputs and iteration count.

    Only week 3's network without a test set is vectorised (:func:`vectorisable`); every other
    config is trained on its own by :func:`nncore.train`.

    Parameters
    ----------
    cfgs : sequence of TrainConfig
    progress : callable, optional
        Called with ``(iterations done, total)`` over all groups.

    Returns
    -------
    list of History or TrainingDiverged
        In the order of ``cfgs``; each identical to what :func:`nncore.train` gives (or raises).
    """
    groups: dict[tuple[int, ...], list[int]] = {}
    for j, c in enumerate(cfgs):
        key = (c.m, c.iterations, c.n_x) if vectorisable(c) else (-1 - j, c.iterations)
        groups.setdefault(key, []).append(j)
    total = sum(key[1] for key in groups)
    done = 0
    results: list[History | TrainingDiverged | None] = [None] * len(cfgs)
    for (_, T, *_rest), members in groups.items():
        sub = None if progress is None else (lambda i, _t, _d=done: progress(_d + i, total))
        if len(members) == 1:  # nothing to share: the plain trainer
            try:
                results[members[0]] = train(cfgs[members[0]], sub)
            except TrainingDiverged as err:
                results[members[0]] = err
        else:
            for j, res in zip(members, train_group([cfgs[j] for j in members], sub), strict=True):
                results[j] = res
        done += T
    return [r for r in results if r is not None]


def train_group(
    cfgs: Sequence[TrainConfig], progress: ProgressCallback | None = None
) -> list[History | TrainingDiverged]:
    """Train several configs in one vectorised loop; each result is identical to :func:`nncore.train`.

    The hidden units of all variations are stacked row-wise (``N = sum n_h``). Element-wise work
    (adding biases, tanh, sigmoid, log loss, the update) runs once over the stack; every matrix
    product with an inner dimension above 1 runs per variation, on views of the stack with the
    shapes :func:`nncore.train` uses, so BLAS performs the same arithmetic and the histories are
    equal bit for bit (checked by ``tests/test_sweep.py`` and ``benchmarks/bench_sweep.py``). One
    product ``W1 @ X`` over the whole stack would not be: numpy sends a one-row product (1 hidden
    unit) to another BLAS routine, which rounds differently (by 3e-18 here, amplified by training).

    Parameters
    ----------
    cfgs : sequence of TrainConfig
        All with the same number of data points and iterations (data set, seeds, hidden units and
        learning rates may differ).
    progress : callable, optional
        Called with ``(iterations done, total)`` every few hundred iterations and at the end.

    Returns
    -------
    list of History or TrainingDiverged
        In the order of ``cfgs``; a variation whose cost stopped being finite gives the
        :class:`TrainingDiverged` that :func:`nncore.train` would have raised.
    """
    if not cfgs:
        return []
    stack = _Stack.of(cfgs)
    record = _Record(stack)
    diverged_at = _descend(stack, _Net(stack), record, progress)
    return [record.history(v) if at is None else TrainingDiverged(at, stack.lrs[v]) for v, at in enumerate(diverged_at)]


def vectorisable(cfg: TrainConfig) -> bool:
    """True if :func:`train_group` can train ``cfg``: week 3's network (``is_course_week3``), no test set."""
    return cfg.is_course_week3 and not cfg.test_points


@dataclass(frozen=True)
class _Stack:
    """The variations of one group side by side: their data, where their hidden units sit, their rates.

    Attributes
    ----------
    cfgs : sequence of TrainConfig
    data : list of Data
        Each variation's data (shared when equal).
    Xs, Y_each : list of ndarray
        Each variation's inputs and labels, ``(n_x, m)`` and ``(1, m)``.
    Ys : ndarray
        The labels of all variations, ``(V, m)``.
    rows : list of slice
        Each variation's hidden units in the stack of ``N`` rows.
    lrs : list of float
        Each variation's learning rate.
    """

    cfgs: Sequence[TrainConfig]
    data: list[Data]
    Xs: list[np.ndarray]
    Y_each: list[np.ndarray]
    Ys: np.ndarray
    rows: list[slice]
    lrs: list[float]

    @classmethod
    def of(cls, cfgs: Sequence[TrainConfig]) -> _Stack:
        """Load each data set once and place every variation's hidden units.

        Raises
        ------
        ValueError
            If the configs differ in iterations, number of points or inputs, one is not
            :func:`vectorisable`, or a label is not 0 or 1.
        """
        T, m, n_x = cfgs[0].iterations, cfgs[0].m, cfgs[0].n_x
        if any(c.iterations != T or c.m != m or c.n_x != n_x or not vectorisable(c) for c in cfgs):
            raise ValueError("train_group needs week 3's configs with the same iterations, points and inputs")
        loaded: dict[tuple[object, ...], Data] = {}
        for c in cfgs:
            if _data_key(c) not in loaded:
                loaded[_data_key(c)] = load_data(c)
        data = [loaded[_data_key(c)] for c in cfgs]
        Xs = [d.X for d in data]  # V x (n_x, m)
        Y_each = [d.Y for d in data]  # V x (1, m)
        Ys = np.concatenate(Y_each)  # (V, m)
        if not np.all((Ys == 0.0) | (Ys == 1.0)):  # pragma: no cover - every loader draws 0/1 labels
            raise ValueError("train_group needs labels that are exactly 0 or 1")
        sizes = [c.hidden_units for c in cfgs]
        ends = np.cumsum(sizes)
        rows = [slice(int(e - n), int(e)) for n, e in zip(sizes, ends, strict=True)]
        return cls(cfgs, data, Xs, Y_each, Ys, rows, [float(c.learning_rate) for c in cfgs])

    @property
    def T(self) -> int:
        """Iterations, the same for every variation."""
        return self.cfgs[0].iterations

    @property
    def V(self) -> int:
        """Number of variations."""
        return len(self.cfgs)

    @property
    def N(self) -> int:
        """Hidden units of all variations together."""
        return int(self.rows[-1].stop)

    @property
    def m(self) -> int:
        """Data points, the same for every variation."""
        return int(self.Ys.shape[1])

    @property
    def n_x(self) -> int:
        """Input features."""
        return int(self.Xs[0].shape[0])


class _Net:
    """The stacked network: parameters, gradients and work arrays, each allocated once, updated in place.

    The per-variation views that the matrix products read and write are prepared once too (a
    numpy call costs microseconds here). Every step computes what :mod:`nncore.model` computes,
    for all variations at once.
    """

    def __init__(self, s: _Stack) -> None:
        N, V, m, n_x = s.N, s.V, s.m, s.n_x
        self.m = m
        self.W1, self.b1 = np.empty((N, n_x)), np.empty((N, 1))
        self.W2, self.b2 = np.empty((1, N)), np.empty((V, 1))
        for v, (c, r) in enumerate(zip(s.cfgs, s.rows, strict=True)):
            net = init_net((n_x, c.hidden_units, 1), c.init, c.init_seed)
            self.W1[r], self.b1[r], self.W2[:, r], self.b2[v] = net.W[0], net.b[0], net.W[1], net.b[1]
        self.dW1, self.db1 = np.empty_like(self.W1), np.empty_like(self.b1)
        self.dW2, self.db2 = np.empty_like(self.W2), np.empty_like(self.b2)
        self.A1 = np.empty((N, m))  # Z1, then tanh(Z1) in place
        self.Z2, self.A2 = np.empty((V, m)), np.empty((V, m))
        self.L = np.empty((V, m))  # log-likelihood terms
        self.dZ2, self.dZ1 = np.empty((V, m)), np.empty((N, m))
        self.S = np.empty((N, m))  # 1 - A1**2
        self.Ys = s.Ys
        self.label_true = s.Ys > 0.5  # (V, m)
        # Labels are 0 or 1, so the course's Y log(A2) + (1 - Y) log(1 - A2) keeps exactly one of its
        # terms (the other is +-0): log_expit(+Z2) where Y = 1 and log_expit(-Z2) where Y = 0, the same
        # bits at half the work. Non-finite Z2 (where the course's formula gives NaN) is caught apart.
        self.sign = np.where(self.label_true, 1.0, -1.0)  # (V, m)
        self._views(s)
        lr_rows = np.repeat(np.array(s.lrs), [c.hidden_units for c in s.cfgs])[:, None]  # (N, 1)
        lr_cols = lr_rows.T.copy()  # (1, N)
        lr_var = np.array(s.lrs)[:, None]  # (V, 1)
        params, grads = (self.W1, self.b1, self.W2, self.b2), (self.dW1, self.db1, self.dW2, self.db2)
        lrs = (lr_rows, lr_rows, lr_cols, lr_var)
        self.steps = [(p, lr, g, np.empty_like(p)) for p, lr, g in zip(params, lrs, grads, strict=True)]

    def _views(self, s: _Stack) -> None:
        """The per-variation ``(a, b, out)`` of every product, as :func:`nncore.train` shapes them."""
        rows, Xs, vs = s.rows, s.Xs, range(s.V)
        W1, W2, A1, Z2, dZ2, dZ1 = self.W1, self.W2, self.A1, self.Z2, self.dZ2, self.dZ1
        self.z1_products = [(W1[rows[v]], Xs[v], A1[rows[v]]) for v in vs]  # W1 @ X -> (n_h, m)
        self.z2_products = [(W2[:, rows[v]], A1[rows[v]], Z2[v : v + 1]) for v in vs]  # W2 @ A1 -> (1, m)
        self.dw2_products = [(dZ2[v : v + 1], A1[rows[v]].T, self.dW2[:, rows[v]]) for v in vs]  # -> (1, n_h)
        # W2.T @ dZ2 has an inner dimension of 1: one rounded product per entry, which a broadcast
        # multiplication computes just the same.
        self.outer_products = [(W2[:, rows[v]].T, dZ2[v : v + 1], dZ1[rows[v]]) for v in vs]  # -> (n_h, m)
        self.dw1_products = [(dZ1[rows[v]], Xs[v].T, self.dW1[rows[v]]) for v in vs]  # dZ1 @ X.T -> (n_h, n_x)

    def forward(self) -> None:
        """``A1 = tanh(W1 X + b1)``, ``Z2 = W2 A1 + b2``, ``A2 = sigmoid(Z2)``, as nncore.model.forward."""
        matmul, A1, Z2 = np.matmul, self.A1, self.Z2
        for a, b, out in self.z1_products:
            matmul(a, b, out=out)
        A1 += self.b1
        np.tanh(A1, out=A1)  # (N, m)
        for a, b, out in self.z2_products:
            matmul(a, b, out=out)
        Z2 += self.b2
        expit(Z2, out=self.A2)  # (V, m)

    def cost(self, J: np.ndarray) -> np.ndarray:
        """Write each variation's cost into ``J`` ``(V,)``, as nncore.model.cost; return where it is finite."""
        L = self.L
        np.multiply(self.sign, self.Z2, out=L)
        log_expit(L, out=L)
        np.sum(L, axis=1, out=J)
        np.negative(J, out=J)
        J /= self.m
        finite: np.ndarray = np.isfinite(J) & np.isfinite(self.Z2).all(axis=1)
        return finite

    def accuracy(self) -> np.ndarray:
        """Each variation's training accuracy ``(V,)``, as nncore.model.accuracy."""
        correct: np.ndarray = np.count_nonzero((self.A2 > 0.5) == self.label_true, axis=1)
        return correct / self.m

    def backward(self) -> None:
        """The gradients of the cost, as nncore.model.backward."""
        matmul, m = np.matmul, self.m
        dZ2, dZ1, S = self.dZ2, self.dZ1, self.S
        np.subtract(self.A2, self.Ys, out=dZ2)  # (V, m)
        for a, b, out in self.dw2_products:
            matmul(a, b, out=out)
        self.dW2 /= m
        np.sum(dZ2, axis=1, keepdims=True, out=self.db2)  # (V, 1)
        self.db2 /= m
        for a, b, out in self.outer_products:
            np.multiply(a, b, out=out)
        np.square(self.A1, out=S)
        np.subtract(1.0, S, out=S)
        dZ1 *= S  # (N, m)
        for a, b, out in self.dw1_products:
            matmul(a, b, out=out)
        self.dW1 /= m
        np.sum(dZ1, axis=1, keepdims=True, out=self.db1)  # (N, 1)
        self.db1 /= m

    def update(self) -> None:
        """``theta - learning_rate * dtheta`` for every parameter, as nncore.model.update."""
        multiply = np.multiply
        for theta, lr, grad, step in self.steps:
            theta -= multiply(lr, grad, out=step)


class _Record:
    """Every iteration's parameters, cost, accuracy and gradients of all variations: their histories, stacked."""

    def __init__(self, s: _Stack) -> None:
        T, N, V, n_x = s.T, s.N, s.V, s.n_x
        self.stack = s
        self.W1, self.b1 = np.empty((T + 1, N, n_x)), np.empty((T + 1, N, 1))
        self.W2, self.b2 = np.empty((T + 1, 1, N)), np.empty((T + 1, V, 1))
        self.cost, self.accuracy = np.empty((T + 1, V)), np.empty((T + 1, V))
        self.dW1, self.db1 = np.empty((T, N, n_x)), np.empty((T, N, 1))
        self.dW2, self.db2 = np.empty((T, 1, N)), np.empty((T, V, 1))

    def keep_params(self, i: int, net: _Net) -> None:
        """The parameters before update ``i``."""
        self.W1[i], self.b1[i], self.W2[i], self.b2[i] = net.W1, net.b1, net.W2, net.b2

    def keep_grads(self, i: int, net: _Net) -> None:
        """The gradients of update ``i``."""
        self.dW1[i], self.db1[i], self.dW2[i], self.db2[i] = net.dW1, net.db1, net.dW2, net.db2

    def history(self, v: int) -> History:
        """Variation ``v``'s history, cut out of the stack and validated."""
        s = self.stack
        c, r, one = s.cfgs[v], s.rows[v], slice(v, v + 1)
        arrays = {
            "X": s.Xs[v],
            "Y": s.Y_each[v],
            "W1": self.W1[:, r].copy(),
            "b1": self.b1[:, r].copy(),
            "W2": self.W2[:, :, r].copy(),
            "b2": self.b2[:, one].copy(),
            "cost": self.cost[:, v].copy(),
            "accuracy": self.accuracy[:, v].copy(),
            "dW1": self.dW1[:, r].copy(),
            "db1": self.db1[:, r].copy(),
            "dW2": self.dW2[:, :, r].copy(),
            "db2": self.db2[:, one].copy(),
            "points": s.data[v].P,
        }
        names = layout(c, s.m, 0)
        h = History.from_arrays(history_meta(c, s.data[v]), {name: arrays[name] for name in names})
        h.validate(f"sweep history {c.dataset}, {c.hidden_units} hidden units")
        return h


def _data_key(cfg: TrainConfig) -> tuple[object, ...]:
    """What a variation's data depends on: variations with equal keys share one loaded copy."""
    return (cfg.dataset, cfg.data_seed, cfg.points, cfg.noise, cfg.factor, cfg.features)


def _descend(s: _Stack, net: _Net, record: _Record, progress: ProgressCallback | None) -> list[int | None]:
    """Batch gradient descent on the stack, recording each iteration; return where each variation diverged.

    A variation whose cost stops being finite at iteration ``i`` keeps training with the others
    (its rows are independent of theirs) but is reported as diverged at ``i``; the loop stops when
    every variation has diverged.
    """
    T = s.T
    diverged_at: list[int | None] = [None] * s.V
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(T + 1):
            net.forward()
            finite = net.cost(record.cost[i])
            for v in np.flatnonzero(~finite):
                if diverged_at[v] is None:
                    diverged_at[v] = i
            if all(d is not None for d in diverged_at):
                break
            record.keep_params(i, net)
            record.accuracy[i] = net.accuracy()
            if i == T:
                break
            net.backward()
            record.keep_grads(i, net)
            net.update()
            if progress is not None and i % _PROGRESS_EVERY == 0:
                progress(i, T)
    if progress is not None:
        progress(T, T)
    return diverged_at
