"""The training history: one versioned ``.npz`` artefact that every scene reads.

``python -m nncore info build/history.npz`` summarises one.

Layout (``T`` = iterations, ``n_h`` = hidden units, ``m`` = examples, ``n_x`` = 2):

========== ================== ====================================================
array      shape              meaning
========== ================== ====================================================
meta       ()                 JSON string: schema_version, config, dataset, seeds,
                              nncore_version
X          (n_x, m)           inputs, one example per column
Y          (1, m)             labels, 0.0 or 1.0
W1         (T+1, n_h, n_x)    index i: parameters *before* update i; index T: final
b1         (T+1, n_h, 1)
W2         (T+1, 1, n_h)
b2         (T+1, 1, 1)
cost       (T+1,)             log loss of the parameters at that index
accuracy   (T+1,)             fraction of training points classified correctly
dW1        (T, n_h, n_x)      gradients of update i (computed at parameters i)
db1        (T, n_h, 1)
dW2        (T, 1, n_h)
db2        (T, 1, 1)
========== ================== ====================================================
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nncore.atomic import atomic_write
from nncore.config import ConfigError, TrainConfig
from nncore.errors import HistoryError
from nncore.model import Grads, Params

SCHEMA_VERSION = 1

PARAM_NAMES = ("W1", "b1", "W2", "b2")
GRAD_NAMES = ("dW1", "db1", "dW2", "db2")
ARRAY_NAMES = ("X", "Y", *PARAM_NAMES, "cost", "accuracy", *GRAD_NAMES)


@dataclass
class History:
    """A whole training run: data, every iteration's parameters, cost, accuracy and gradients.

    Every attribute is a plain in-memory ``ndarray`` (never a lazy ``NpzFile``), so scenes can
    hand them to Manim, whose cache hashes what mobjects reach.

    Attributes
    ----------
    meta : dict
        ``schema_version``, ``config`` (a :class:`TrainConfig` as dict), ``dataset``, ``seeds``,
        ``nncore_version``.
    X, Y, W1, b1, W2, b2, cost, accuracy, dW1, db1, dW2, db2 : ndarray
        See the module docstring for shapes.
    """

    meta: dict[str, Any]
    X: np.ndarray  # (n_x, m)
    Y: np.ndarray  # (1, m)
    W1: np.ndarray  # (T+1, n_h, n_x)
    b1: np.ndarray  # (T+1, n_h, 1)
    W2: np.ndarray  # (T+1, 1, n_h)
    b2: np.ndarray  # (T+1, 1, 1)
    cost: np.ndarray  # (T+1,)
    accuracy: np.ndarray  # (T+1,)
    dW1: np.ndarray  # (T, n_h, n_x)
    db1: np.ndarray  # (T, n_h, 1)
    dW2: np.ndarray  # (T, 1, n_h)
    db2: np.ndarray  # (T, 1, 1)

    # --- derived views -------------------------------------------------------------------

    @property
    def config(self) -> TrainConfig:
        """The :class:`TrainConfig` this history was trained with."""
        return TrainConfig.from_dict(self.meta["config"], source="history meta")

    @property
    def iterations(self) -> int:
        """Number of updates ``T``; parameter arrays have ``T + 1`` entries."""
        return int(self.cost.shape[0] - 1)

    @property
    def hidden_units(self) -> int:
        """``n_h``."""
        return int(self.W1.shape[1])

    @property
    def n_x(self) -> int:
        """Number of inputs."""
        return int(self.X.shape[0])

    @property
    def m(self) -> int:
        """Number of examples."""
        return int(self.X.shape[1])

    def params(self, i: int) -> Params:
        """Parameters at index ``i`` (before update ``i``; ``i = T`` or ``-1`` for the final ones)."""
        return Params(self.W1[i], self.b1[i], self.W2[i], self.b2[i])

    def grads(self, i: int) -> Grads:
        """Gradients of update ``i``, computed at :meth:`params` ``(i)``; ``0 <= i < T``."""
        return Grads(self.dW1[i], self.db1[i], self.dW2[i], self.db2[i])

    # --- validation ----------------------------------------------------------------------

    def validate(self, source: str = "history") -> None:
        """Check the schema version, the config and every array's shape and dtype.

        Raises
        ------
        HistoryError
            Naming ``source`` and what is wrong.
        """
        version = self.meta.get("schema_version")
        if version != SCHEMA_VERSION:
            raise HistoryError(
                f"{source}: unknown history schema version {version!r}; this nncore reads version "
                f"{SCHEMA_VERSION} (re-create it with `python -m nncore train`)"
            )
        try:
            cfg = self.config
        except (ConfigError, KeyError, TypeError) as err:
            raise HistoryError(f"{source}: meta 'config' is malformed ({err})") from None
        T, n_h, n_x = cfg.iterations, cfg.hidden_units, 2
        m = self.X.shape[1] if self.X.ndim == 2 else -1
        expected = {
            "X": (n_x, m),
            "Y": (1, m),
            "W1": (T + 1, n_h, n_x),
            "b1": (T + 1, n_h, 1),
            "W2": (T + 1, 1, n_h),
            "b2": (T + 1, 1, 1),
            "cost": (T + 1,),
            "accuracy": (T + 1,),
            "dW1": (T, n_h, n_x),
            "db1": (T, n_h, 1),
            "dW2": (T, 1, n_h),
            "db2": (T, 1, 1),
        }
        for name, shape in expected.items():
            arr = getattr(self, name)
            if arr.shape != shape:
                raise HistoryError(f"{source}: array '{name}' has shape {arr.shape}, expected {shape}")
            if arr.dtype != np.float64:
                raise HistoryError(f"{source}: array '{name}' has dtype {arr.dtype}, expected float64")

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
        arrays = {name: getattr(self, name) for name in ARRAY_NAMES}
        with atomic_write(path, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(self.meta, sort_keys=True)), **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path) -> History:
        """Read and validate a history file.

        Raises
        ------
        HistoryError
            If the file is missing, unreadable, not a history, of an unknown schema version, or
            an array is missing or has the wrong shape.
        """
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as npz:
                names = set(npz.files)
                if "meta" not in names:
                    raise HistoryError(f"{path}: not a history file (no 'meta' entry)")
                meta = json.loads(str(npz["meta"][()]))
                if not isinstance(meta, dict):
                    raise HistoryError(f"{path}: 'meta' is not a JSON object")
                version = meta.get("schema_version")
                if version != SCHEMA_VERSION:
                    raise HistoryError(
                        f"{path}: unknown history schema version {version!r}; this nncore reads "
                        f"version {SCHEMA_VERSION} (re-create it with `python -m nncore train`)"
                    )
                missing = [n for n in ARRAY_NAMES if n not in names]
                if missing:
                    raise HistoryError(f"{path}: missing array(s) {', '.join(missing)}")
                arrays = {name: np.array(npz[name]) for name in ARRAY_NAMES}
        except FileNotFoundError:
            raise HistoryError(f"{path}: history file not found (create it with `python -m nncore train`)") from None
        except HistoryError:
            raise
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as err:
            raise HistoryError(f"{path}: not a readable history file ({err.__class__.__name__}: {err})") from None
        history = cls(meta=meta, **arrays)
        history.validate(str(path))
        return history
