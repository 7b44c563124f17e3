"""The training history: one versioned ``.npz`` artefact that every scene reads.

``python -m nncore info build/history.npz`` summarises one.

A run of ``E`` epochs (``[train] iterations``) over ``m`` training points takes ``U = E * B``
updates, ``B`` mini-batches an epoch (1 without ``batch_size``: then an epoch is one
gradient-descent iteration, ``U = E = T``). A *snapshot* is taken at the start of every epoch and
after the last: index ``e`` holds the parameters before epoch ``e``'s first update, index ``E``
the final ones. Layers are numbered 1 to ``L`` (``L - 1`` hidden layers, then the output), so
the default network's arrays are ``W1, b1, W2, b2``. Every history holds:

=================== ====================== ==============================================================
array               shape                  meaning
=================== ====================== ==============================================================
meta                ()                     JSON: schema_version, config, dataset, seeds, network,
                                           training, nncore_version
X                   (n_x, m)               network inputs (the features), one example per column
Y                   (1, m)                 labels, 0.0 or 1.0
W{l}, b{l}          (E+1, n_l, n_{l-1}),   layer ``l``'s parameters at each snapshot
                    (E+1, n_l, 1)
cost                (E+1,)                 cost of the snapshot's parameters on the whole training set
                                           (log loss, plus the L2 term when ``l2 > 0``; no dropout)
accuracy            (E+1,)                 fraction of training points classified correctly
dW{l}, db{l}        (E, n_l, n_{l-1}),     gradients of epoch ``e``'s first update, computed at
                    (E, n_l, 1)            snapshot ``e`` (on its first mini-batch)
=================== ====================== ==============================================================

and, when the run has them:

=================== ====================== ==============================================================
cross_entropy       (E+1,)                 the cost without its L2 term (``l2 > 0``)
points, points_test (2, m), (2, m_test)    the points the features come from (features not ``x1, x2``)
X_test, Y_test      (n_x, m_test), (1, ..) the held-out test set (``test_points > 0``)
test_cost           (E+1,)                 log loss on the test set at each snapshot
test_accuracy       (E+1,)                 test accuracy at each snapshot
batch_order         (E, m) int16/int32     the order epoch ``e`` visits the examples; update ``k`` of
                                           the epoch uses positions ``k B_size ... (k+1) B_size - 1``
batch_cost          (U,)                   the cost each update's forward pass computed (its
                                           mini-batch, its dropout masks, the L2 term): what the
                                           course's loop adds up and prints (``batch_size`` or dropout)
learning_rates      (E,)                   the rate of each epoch's updates (``decay_rate > 0``)
vdW{l}, vdb{l}      like W{l}, b{l}        momentum's velocity / Adam's first moment at each snapshot
sdW{l}, sdb{l}      like W{l}, b{l}        Adam's second moment at each snapshot
adam_t              (E+1,) int64           Adam's step counter at each snapshot (updates done)
adam_correction1/2  (E+1,)                 ``1 - beta1**(t+1)``, ``1 - beta2**(t+1)``: the bias
                                           corrections of the snapshot's update
dropout{l}          (E, n_l, ceil(m/8))    hidden layer ``l``'s dropout mask of every training
                    uint8                  example in epoch ``e``, bit-packed along the examples
                                           (``np.unpackbits(..., axis=-1, count=m)``; ``keep_prob < 1``)
=================== ====================== ==============================================================

Version 1 files (before deeper networks; the same arrays as a one-hidden-layer full-batch run)
still load; :meth:`History.trained_with` tells them from a current one, so the callers that cache
histories train them again.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from nncore.atomic import atomic_write
from nncore.config import TrainConfig
from nncore.errors import ConfigError, HistoryError
from nncore.model import Grads, Params
from nncore.network import Grads as LayerGrads
from nncore.network import Net

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Schema versions :meth:`History.load` reads; it writes :data:`SCHEMA_VERSION`."""

PARAM_NAMES = ("W1", "b1", "W2", "b2")
GRAD_NAMES = ("dW1", "db1", "dW2", "db2")
ARRAY_NAMES = ("X", "Y", *PARAM_NAMES, "cost", "accuracy", *GRAD_NAMES)
"""The arrays of the one-hidden-layer network that every history of it holds (a version-1 file's all)."""

Shape = tuple[int, ...]


def layout(cfg: TrainConfig, m: int, m_test: int) -> dict[str, tuple[Shape, np.dtype]]:
    """Every array a history of ``cfg`` holds, in the order it is written, with its shape and dtype.

    Parameters
    ----------
    cfg : TrainConfig
    m, m_test : int
        Training and test points.
    """
    E, U, n_x = cfg.iterations, cfg.updates, cfg.n_x
    sizes = (n_x, *cfg.layers, 1)
    L = len(sizes) - 1
    f8, index = np.dtype(np.float64), np.dtype(np.int16 if m <= np.iinfo(np.int16).max else np.int32)
    out: dict[str, tuple[Shape, np.dtype]] = {"X": ((n_x, m), f8), "Y": ((1, m), f8)}
    for l in range(1, L + 1):
        out[f"W{l}"] = ((E + 1, sizes[l], sizes[l - 1]), f8)
        out[f"b{l}"] = ((E + 1, sizes[l], 1), f8)
    out["cost"] = ((E + 1,), f8)
    out["accuracy"] = ((E + 1,), f8)
    for l in range(1, L + 1):
        out[f"dW{l}"] = ((E, sizes[l], sizes[l - 1]), f8)
        out[f"db{l}"] = ((E, sizes[l], 1), f8)
    if cfg.l2 > 0:
        out["cross_entropy"] = ((E + 1,), f8)
    if cfg.features != ("x1", "x2"):
        out["points"] = ((2, m), f8)
    if cfg.test_points:
        out["X_test"] = ((n_x, m_test), f8)
        out["Y_test"] = ((1, m_test), f8)
        if cfg.features != ("x1", "x2"):
            out["points_test"] = ((2, m_test), f8)
        out["test_cost"] = ((E + 1,), f8)
        out["test_accuracy"] = ((E + 1,), f8)
    if cfg.batch_size is not None:
        out["batch_order"] = ((E, m), index)
    if cfg.batch_size is not None or cfg.keep_prob < 1:
        out["batch_cost"] = ((U,), f8)
    if cfg.decay_rate > 0:
        out["learning_rates"] = ((E,), f8)
    moments = {"gd": (), "momentum": ("v",), "adam": ("v", "s")}[cfg.optimizer]
    for k in moments:
        for l in range(1, L + 1):
            out[f"{k}dW{l}"] = ((E + 1, sizes[l], sizes[l - 1]), f8)
            out[f"{k}db{l}"] = ((E + 1, sizes[l], 1), f8)
    if cfg.optimizer == "adam":
        out["adam_t"] = ((E + 1,), np.dtype(np.int64))
        out["adam_correction1"] = ((E + 1,), f8)
        out["adam_correction2"] = ((E + 1,), f8)
    if cfg.keep_prob < 1:
        for l in range(1, L):
            out[f"dropout{l}"] = ((E, sizes[l], -(-m // 8)), np.dtype(np.uint8))
    return out


@dataclass
class History:
    """A whole training run: data, every snapshot's parameters, cost, accuracy and gradients, and the rest.

    Every array is a plain in-memory ``ndarray`` (never a lazy ``NpzFile``), so scenes can hand
    them to Manim, whose cache hashes what mobjects reach. The arrays of the one-hidden-layer
    network (:data:`ARRAY_NAMES`) are fields; every other one (``W3``, ``test_cost``, ``vdW1`` …,
    see the module docstring) is in :attr:`more` and an attribute by its name too (``h.W3``).
    :attr:`arrays` holds them all.

    Attributes
    ----------
    meta : dict
        ``schema_version``, ``config`` (a :class:`TrainConfig` as dict), ``dataset``, ``seeds``,
        ``nncore_version`` (and, from version 2, ``network`` and ``training``).
    X, Y, W1, b1, W2, b2, cost, accuracy, dW1, db1, dW2, db2 : ndarray
        See the module docstring for shapes.
    more : dict of str to ndarray
        The run's other arrays.
    """

    meta: dict[str, Any]
    X: np.ndarray  # (n_x, m)
    Y: np.ndarray  # (1, m)
    W1: np.ndarray  # (E+1, n_1, n_x)
    b1: np.ndarray  # (E+1, n_1, 1)
    W2: np.ndarray  # (E+1, n_2, n_1)
    b2: np.ndarray  # (E+1, n_2, 1)
    cost: np.ndarray  # (E+1,)
    accuracy: np.ndarray  # (E+1,)
    dW1: np.ndarray  # (E, n_1, n_x)
    db1: np.ndarray  # (E, n_1, 1)
    dW2: np.ndarray  # (E, n_2, n_1)
    db2: np.ndarray  # (E, n_2, 1)
    more: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_arrays(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> History:
        """A history of ``arrays`` by name: every one of :data:`ARRAY_NAMES`, and any others."""
        missing = [name for name in ARRAY_NAMES if name not in arrays]
        if missing:
            raise HistoryError(f"history: missing array(s) {', '.join(missing)}")
        core = {name: arrays[name] for name in ARRAY_NAMES}
        return cls(meta, **core, more={k: v for k, v in arrays.items() if k not in core})

    def __post_init__(self) -> None:
        # Read-only views, so that every holder can share one history (see __deepcopy__): a scene
        # that wrote into a snapshot would change what every other holder shows. Views, so that
        # the arrays it was given stay as writable as they were.
        for name in ARRAY_NAMES:
            setattr(self, name, _read_only(getattr(self, name)))
        self.more = {name: _read_only(array) for name, array in self.more.items()}

    def __deepcopy__(self, memo: dict[int, Any]) -> History:
        """The history itself: a record of a finished run is read, never changed, so copies share it.

        Manim copies a mobject (``Mobject.copy``, every ``Transform``'s start and target, every
        fade) with :func:`copy.deepcopy`, and a diagram, readout or panel holds the history it
        draws. Copying it would copy every snapshot's arrays each time: for a run of 40,000 epochs
        over 10,000 points with mini-batches, 800 MB of ``batch_order`` alone, three copies a
        ``FadeOut``, which took one layout check to 20 GB.
        """
        memo[id(self)] = self
        return self

    def __getattr__(self, name: str) -> np.ndarray:
        more = self.__dict__.get("more")
        if more is not None and name in more:
            array: np.ndarray = more[name]
            return array
        raise AttributeError(f"{type(self).__name__} has no array or attribute {name!r}")

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """Every array by name: those of :data:`ARRAY_NAMES`, then the others."""
        return {**{name: getattr(self, name) for name in ARRAY_NAMES}, **self.more}

    # --- derived views -------------------------------------------------------------------

    @cached_property
    def config(self) -> TrainConfig:
        """The :class:`TrainConfig` this history was trained with (read from ``meta`` once)."""
        return TrainConfig.from_dict(self.meta["config"], source="history meta")

    def trained_with(self, cfg: TrainConfig) -> bool:
        """True if this history is of the current schema version and was trained with ``cfg``."""
        return self.meta.get("schema_version") == SCHEMA_VERSION and self.meta.get("config") == cfg.to_dict()

    @property
    def iterations(self) -> int:
        """Number of epochs ``E`` (for full-batch gradient descent, of updates ``T``); snapshots are ``E + 1``."""
        return int(self.cost.shape[0] - 1)

    @property
    def epochs(self) -> int:
        """Number of epochs ``E``: passes over the training set."""
        return self.iterations

    @property
    def updates(self) -> int:
        """Number of parameter updates ``U``: ``E`` times the mini-batches of an epoch."""
        return self.iterations * self.batches_per_epoch

    @property
    def batches_per_epoch(self) -> int:
        """Mini-batches of an epoch (1 without ``batch_size``)."""
        return self.config.batches

    @property
    def layers(self) -> int:
        """Number of layers ``L`` with parameters (hidden layers and the output)."""
        return len(self.config.layers) + 1

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units of every layer, inputs first: ``(n_x, n_1, ..., 1)``."""
        arrays = self.arrays
        return (self.n_x, *(int(arrays[f"W{l}"].shape[1]) for l in range(1, self.layers + 1)))

    @property
    def hidden_units(self) -> int:
        """``n_h``: the units of the first (for the default network, the only) hidden layer."""
        return int(self.W1.shape[1])

    @property
    def n_x(self) -> int:
        """Number of inputs."""
        return int(self.X.shape[0])

    @property
    def m(self) -> int:
        """Number of training examples."""
        return int(self.X.shape[1])

    def params(self, i: int) -> Params:
        """Parameters of one hidden layer's network at snapshot ``i`` (``i = E`` or ``-1``: the final ones).

        Raises
        ------
        ValueError
            For a deeper network: use :meth:`net`.
        """
        if self.layers != 2:
            raise ValueError(f"params() is for one hidden layer; this network has {self.layers - 1}: use net()")
        return Params(self.W1[i], self.b1[i], self.W2[i], self.b2[i])

    def grads(self, i: int) -> Grads:
        """Gradients of one hidden layer's network of epoch ``i``'s first update; ``0 <= i < E``."""
        if self.layers != 2:
            raise ValueError(f"grads() is for one hidden layer; this network has {self.layers - 1}: use net_grads()")
        return Grads(self.dW1[i], self.db1[i], self.dW2[i], self.db2[i])

    def net(self, i: int) -> Net:
        """Every layer's parameters at snapshot ``i``, as a :class:`nncore.network.Net`."""
        L, arrays = range(1, self.layers + 1), self.arrays
        return Net(tuple(arrays[f"W{l}"][i] for l in L), tuple(arrays[f"b{l}"][i] for l in L))

    def net_grads(self, i: int) -> LayerGrads:
        """Every layer's gradients of epoch ``i``'s first update, as a :class:`nncore.network.Grads`."""
        L, arrays = range(1, self.layers + 1), self.arrays
        return LayerGrads(tuple(arrays[f"dW{l}"][i] for l in L), tuple(arrays[f"db{l}"][i] for l in L))

    def batch(self, u: int) -> np.ndarray:
        """The training examples (column indices of ``X``) that update ``u`` used, in the order it read them."""
        cfg = self.config
        if cfg.batch_size is None:
            return np.arange(self.m)
        e, k = divmod(u, self.batches_per_epoch)
        return self.more["batch_order"][e, k * cfg.batch_size : (k + 1) * cfg.batch_size].astype(np.intp)

    def course_cost(self, epoch: int) -> float:
        """The cost the course's training loop prints for epoch ``epoch`` (its "Cost after iteration/epoch" lines).

        Full batch: the cost its forward pass computed at the epoch's start, ``cost[epoch]`` (with
        dropout, that pass's own cost, ``batch_cost[epoch]``). Mini-batches: the week-2 notebook's
        epoch average, every mini-batch's summed loss over the epoch divided by ``m``.
        """
        cfg = self.config
        if cfg.batch_size is None:
            return float(self.more["batch_cost"][epoch] if cfg.keep_prob < 1 else self.cost[epoch])
        B = self.batches_per_epoch
        costs = self.more["batch_cost"][epoch * B : (epoch + 1) * B]  # (B,) each its mini-batch's mean
        sizes = [min(cfg.batch_size, self.m - k * cfg.batch_size) for k in range(B)]
        return float(sum(c * n for c, n in zip(costs, sizes, strict=True)) / self.m)

    def dropout_mask(self, layer: int, epoch: int) -> np.ndarray:
        """Hidden layer ``layer``'s dropout mask of every training example in epoch ``epoch``, ``(n_l, m)`` bool."""
        packed = self.more[f"dropout{layer}"][epoch]  # (n_l, ceil(m / 8))
        return np.unpackbits(packed, axis=-1, count=self.m).astype(bool)

    # --- validation ----------------------------------------------------------------------

    def validate(self, source: str = "history") -> None:
        """Check the schema version, the config and every array's name, shape and dtype.

        Raises
        ------
        HistoryError
            Naming ``source`` and what is wrong.
        """
        _check_version(source, self.meta.get("schema_version"))
        try:
            cfg = self.config
        except (ConfigError, KeyError, TypeError) as err:
            raise HistoryError(f"{source}: meta 'config' is malformed ({err})") from None
        arrays = self.arrays
        m = self.X.shape[1] if self.X.ndim == 2 else -1
        m_test = arrays["X_test"].shape[1] if "X_test" in arrays and arrays["X_test"].ndim == 2 else -1
        expected = layout(cfg, m, m_test)
        missing = [n for n in expected if n not in arrays]
        if missing:
            raise HistoryError(f"{source}: missing array(s) {', '.join(missing)}")
        extra = [n for n in arrays if n not in expected]
        if extra:
            raise HistoryError(f"{source}: unexpected array(s) {', '.join(extra)} for its config")
        for name, (shape, dtype) in expected.items():
            arr = arrays[name]
            if arr.shape != shape:
                raise HistoryError(f"{source}: array '{name}' has shape {arr.shape}, expected {shape}")
            if arr.dtype != dtype:
                raise HistoryError(f"{source}: array '{name}' has dtype {arr.dtype}, expected {dtype}")

    # --- I/O -----------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the history atomically: to a temporary file beside ``path``, then rename.

        An interrupted write never leaves a truncated file where a good one was.

        Returns
        -------
        Path
            ``path``.
        """
        path = Path(path)
        with atomic_write(path, "wb") as fh:
            entries: dict[str, Any] = {"meta": np.array(json.dumps(self.meta, sort_keys=True)), **self.arrays}
            np.savez(fh, **entries)
        return path

    @classmethod
    def load(cls, path: str | Path) -> History:
        """Read and validate a history file (schema version 1 or 2).

        Raises
        ------
        HistoryError
            If the file is missing, unreadable, not a history, of an unknown schema version, or
            an array is missing, unexpected or has the wrong shape.
        """
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as npz:
                names = list(npz.files)
                if "meta" not in names:
                    raise HistoryError(f"{path}: not a history file (no 'meta' entry)")
                meta = json.loads(str(npz["meta"][()]))
                if not isinstance(meta, dict):
                    raise HistoryError(f"{path}: 'meta' is not a JSON object")
                _check_version(str(path), meta.get("schema_version"))
                missing = [n for n in ARRAY_NAMES if n not in names]
                if missing:
                    raise HistoryError(f"{path}: missing array(s) {', '.join(missing)}")
                arrays = {name: npz[name] for name in names if name != "meta"}  # each read into its own array
        except FileNotFoundError:
            raise HistoryError(f"{path}: history file not found (create it with `python -m nncore train`)") from None
        except HistoryError:
            raise
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as err:
            raise HistoryError(f"{path}: not a readable history file ({err.__class__.__name__}: {err})") from None
        history = cls.from_arrays(meta, arrays)
        history.validate(str(path))
        return history


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _check_version(source: str, version: Any) -> None:
    if version not in READABLE_VERSIONS:
        raise HistoryError(
            f"{source}: unknown history schema version {version!r}; this nncore reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))} (re-create it with `python -m nncore train`)"
        )
