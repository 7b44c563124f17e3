"""Sweeps: declared variations of the lecture's training run, trained together and indexed.

``python -m nncore sweep [--config media_config/sweeps.toml] [--sweep NAME] [--out-dir build/sweeps]``
trains every variation of every sweep declared in the sweeps file (or only ``NAME``) and writes
one history per variation plus an index::

    build/sweeps/<sweep>/<key>=<value>.npz   # the same validated history format as `nncore train`
    build/sweeps/<sweep>/index.json          # what was varied, each variation's config and outcome

A sweeps file names a base config (the lecture's) and, per sweep, the one key it varies, its
values, and optional overrides of the base, written as in ``lecture.toml``::

    base = "lecture.toml"                  # relative to the sweeps file

    [sweeps.hidden_sizes]
    description = "the course's hidden-layer sizes"
    vary = "model.hidden_units"            # <table>.<key> of the config
    values = [1, 2, 3, 4, 5, 20, 50]
    overrides = { train = { iterations = 5000 } }

Every variation's config is validated by :mod:`nncore.config` (unknown keys, wrong types and
out-of-range values are one-line :class:`~nncore.errors.ConfigError` messages naming the file and
key). A variation whose history file already holds its config is reused, not retrained. A
variation whose cost stops being finite is recorded in the index as diverged, with the iteration.

Variations that share a data-set size and an iteration count are trained together by
:func:`train_many`, one vectorised loop over all their hidden units at once, which gives arrays
*identical* (bit for bit) to :func:`nncore.train` of each variation's config: every matrix product
is still computed per variation with the same shapes, so BLAS does the same arithmetic, and only
the element-wise work (tanh, sigmoid, the update) is shared. ``benchmarks/bench_sweep.py`` compares
this with training one after the other and with parallel processes.

Scenes read a sweep with :func:`load_sweep`.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit, log_expit

from nncore import __version__
from nncore.atomic import atomic_write
from nncore.config import FIELDS, ConfigError, TrainConfig, config_from_tables, load_config, read_toml
from nncore.data import DEFAULT_POINTS, load_dataset
from nncore.errors import HistoryError, TrainingDiverged
from nncore.history import History
from nncore.model import init_params
from nncore.train import ProgressCallback, history_meta, train

DEFAULT_SWEEPS_PATH = Path("media_config/sweeps.toml")
DEFAULT_SWEEP_DIR = Path("build/sweeps")

SWEEPS_ENV = "NN_SWEEPS"
"""Environment variable naming the sweeps file :func:`load_sweep` reads (default ``media_config/sweeps.toml``)."""

SWEEP_DIR_ENV = "NN_SWEEP_DIR"
"""Environment variable naming the directory :func:`load_sweep` reads and writes (default ``build/sweeps``)."""

INDEX_NAME = "index.json"
INDEX_SCHEMA_VERSION = 1

VARIABLE_KEYS: tuple[str, ...] = tuple(f"{f.table}.{f.key}" for f in FIELDS)
"""What a sweep may vary: every config key, as ``<table>.<key>``."""

_SWEEP_KEYS = ("description", "vary", "values", "overrides")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PROGRESS_EVERY = 250


# --- the sweeps file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Variation:
    """One variation of a sweep: the varied value and the full config it gives.

    Attributes
    ----------
    label : str
        ``<key>=<value>``, e.g. ``hidden_units=20``; also the history's file name without ``.npz``.
    value : int, float or str
        The varied key's value, as validated (an integer learning rate becomes a float).
    config : TrainConfig
        The base config with the sweep's overrides and this value.
    """

    label: str
    value: int | float | str
    config: TrainConfig

    @property
    def filename(self) -> str:
        """Name of this variation's history file inside the sweep's directory."""
        return f"{self.label}.npz"


@dataclass(frozen=True)
class Sweep:
    """A declared sweep: one config key varied over a list of values.

    Attributes
    ----------
    name : str
        The sweep's name in the sweeps file (``[sweeps.<name>]``), also its output directory.
    vary : str
        The varied key as ``<table>.<key>``, e.g. ``model.hidden_units``.
    description : str
        Free text from the sweeps file (may be empty).
    variations : tuple of Variation
        In the order of the declared values.
    source : str
        The sweeps file it was read from.
    """

    name: str
    vary: str
    description: str
    variations: tuple[Variation, ...]
    source: str

    @property
    def key(self) -> str:
        """The varied key without its table, e.g. ``hidden_units``."""
        return self.vary.split(".", 1)[1]


def _label(key: str, value: Any) -> str:
    # repr keeps floats exact and distinct (0.1 -> '0.1', 1e306 -> '1e+306'): one file per value.
    text = repr(value) if isinstance(value, float) else str(value)
    return f"{key}={text}"


def _merge(base: dict[str, dict[str, Any]], overrides: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {table: dict(content) for table, content in base.items()}
    for table, content in overrides.items():
        if isinstance(content, dict) and isinstance(merged.get(table), dict):
            merged[table] = {**merged[table], **content}
        else:
            merged[table] = content  # config_from_tables names what is wrong with it
    return merged


def _parse_sweep(path: Path, name: str, spec: Any, base: TrainConfig) -> Sweep:
    where = f"{path}: [sweeps.{name}]"
    if not _NAME_RE.match(name):
        raise ConfigError(
            f"{path}: sweep name {name!r} is not allowed; expected lower-case letters, digits and '_', "
            "starting with a letter"
        )
    if not isinstance(spec, dict):
        raise ConfigError(f"{path}: 'sweeps.{name}' must be a table [sweeps.{name}], got {type(spec).__name__}")
    for key in spec:
        if key not in _SWEEP_KEYS:
            raise ConfigError(f"{where} unknown key '{key}'; allowed: {', '.join(_SWEEP_KEYS)}")
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"{where} description must be a string, got {type(description).__name__}")
    vary = spec.get("vary")
    if vary is None:
        raise ConfigError(f"{where} missing key 'vary'; expected one of {', '.join(VARIABLE_KEYS)}")
    if vary not in VARIABLE_KEYS:
        raise ConfigError(f"{where} vary = {vary!r} is not allowed; expected one of {', '.join(VARIABLE_KEYS)}")
    table, key = vary.split(".", 1)
    values = spec.get("values")
    if not isinstance(values, list) or not values:
        got = "nothing" if values is None else f"{type(values).__name__} {values!r}"
        raise ConfigError(f"{where} values must be a non-empty array of {vary} values, got {got}")
    overrides = spec.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ConfigError(
            f"{where} overrides must be a table such as {{ train = {{ iterations = 5000 }} }}, "
            f"got {type(overrides).__name__}"
        )
    if isinstance(overrides.get(table), dict) and key in overrides[table]:
        raise ConfigError(f"{where} overrides sets [{table}] {key}, which the sweep varies; remove it from overrides")
    merged = _merge(base.to_toml_tables(), overrides)
    config_from_tables(merged, f"{path} [sweeps.{name}.overrides]")  # reports bad overrides first

    variations: list[Variation] = []
    seen: dict[Any, Any] = {}
    for value in values:
        tables = {t: dict(c) for t, c in merged.items()}
        tables.setdefault(table, {})[key] = value
        cfg = config_from_tables(tables, f"{path} [sweeps.{name}] values")
        normalised = cfg.to_toml_tables()[table][key]
        if normalised in seen:
            raise ConfigError(
                f"{where} values lists {seen[normalised]!r} and {value!r}, the same {vary}; each value must differ"
            )
        seen[normalised] = value
        variations.append(Variation(_label(key, normalised), normalised, cfg))
    return Sweep(name, vary, description, tuple(variations), str(path))


def load_sweeps(path: str | Path = DEFAULT_SWEEPS_PATH) -> dict[str, Sweep]:
    """Read and validate a sweeps file.

    Parameters
    ----------
    path : str or Path
        A TOML file with ``base = "<config file, relative to this file>"`` and one
        ``[sweeps.<name>]`` table per sweep (keys ``vary``, ``values``, optional ``overrides`` and
        ``description``).

    Returns
    -------
    dict of str to Sweep
        In the order of the file.

    Raises
    ------
    ConfigError
        One line naming the file, the key and what is allowed: unknown keys, a missing or bad
        base config, a key that cannot be varied, invalid or repeated values, bad overrides.
    """
    path = Path(path)
    raw = read_toml(path, "sweeps file")
    for key in raw:
        if key not in ("base", "sweeps"):
            raise ConfigError(f"{path}: unknown key '{key}'; allowed: base, sweeps")
    base_name = raw.get("base")
    if not isinstance(base_name, str):
        got = "nothing" if base_name is None else f"{type(base_name).__name__} {base_name!r}"
        raise ConfigError(f'{path}: base must name the base config file (e.g. base = "lecture.toml"), got {got}')
    try:
        base = load_config(path.parent / base_name)
    except ConfigError as err:
        raise ConfigError(f"{path}: base = {base_name!r} cannot be used ({err})") from None
    sweeps = raw.get("sweeps")
    if not isinstance(sweeps, dict) or not sweeps:
        raise ConfigError(f"{path}: no sweeps declared; expected at least one [sweeps.<name>] table")
    return {name: _parse_sweep(path, name, spec, base) for name, spec in sweeps.items()}


# --- training many variations at once ------------------------------------------------------------


def _points(cfg: TrainConfig) -> int:
    return DEFAULT_POINTS[cfg.dataset] if cfg.points is None else cfg.points


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
    T, m = cfgs[0].iterations, _points(cfgs[0])
    if any(c.iterations != T or _points(c) != m for c in cfgs):
        raise ValueError("train_group needs configs with the same iterations and number of points")
    V = len(cfgs)
    datasets: dict[tuple[str, int, int | None], tuple[np.ndarray, np.ndarray]] = {}
    for c in cfgs:
        k = (c.dataset, c.data_seed, c.points)
        if k not in datasets:
            datasets[k] = load_dataset(*k)
    Xs = [datasets[(c.dataset, c.data_seed, c.points)][0] for c in cfgs]  # V x (2, m)
    Y_each = [datasets[(c.dataset, c.data_seed, c.points)][1] for c in cfgs]  # V x (1, m)
    Ys = np.concatenate(Y_each)  # (V, m)
    n_x = Xs[0].shape[0]
    sizes = [c.hidden_units for c in cfgs]
    ends = np.cumsum(sizes)
    rows = [slice(int(e - n), int(e)) for n, e in zip(sizes, ends, strict=True)]  # each variation's hidden units
    N = int(ends[-1])
    lrs = [float(c.learning_rate) for c in cfgs]

    lr_rows = np.repeat(np.array(lrs), sizes)[:, None]  # (N, 1)
    lr_cols = lr_rows.T.copy()  # (1, N)
    lr_var = np.array(lrs)[:, None]  # (V, 1)

    rW1 = np.empty((T + 1, N, n_x))
    rb1 = np.empty((T + 1, N, 1))
    rW2 = np.empty((T + 1, 1, N))
    rb2 = np.empty((T + 1, V, 1))
    rcost = np.empty((T + 1, V))
    racc = np.empty((T + 1, V))
    rdW1 = np.empty((T, N, n_x))
    rdb1 = np.empty((T, N, 1))
    rdW2 = np.empty((T, 1, N))
    rdb2 = np.empty((T, V, 1))

    # Work arrays, allocated once and updated in place, with the per-variation views that the
    # matrix products read and write prepared once too (a numpy call costs microseconds here).
    W1 = np.empty((N, n_x))
    b1 = np.empty((N, 1))
    W2 = np.empty((1, N))
    b2 = np.empty((V, 1))
    for v, (c, r) in enumerate(zip(cfgs, rows, strict=True)):
        p = init_params(n_x, c.hidden_units, 1, c.init_seed)
        W1[r], b1[r], W2[:, r], b2[v] = p.W1, p.b1, p.W2, p.b2
    dW1, db1, dW2, db2 = np.empty_like(W1), np.empty_like(b1), np.empty_like(W2), np.empty_like(b2)
    A1 = np.empty((N, m))  # Z1, then tanh(Z1) in place
    Z2 = np.empty((V, m))
    A2 = np.empty((V, m))
    L = np.empty((V, m))  # log-likelihood terms
    dZ2 = np.empty((V, m))
    dZ1 = np.empty((N, m))
    S = np.empty((N, m))  # 1 - A1**2
    steps = [np.empty_like(a) for a in (W1, b1, W2, b2)]
    vs = range(V)
    z1_products = [(W1[rows[v]], Xs[v], A1[rows[v]]) for v in vs]  # W1 @ X -> (n_h, m)
    z2_products = [(W2[:, rows[v]], A1[rows[v]], Z2[v : v + 1]) for v in vs]  # W2 @ A1 -> (1, m)
    dw2_products = [(dZ2[v : v + 1], A1[rows[v]].T, dW2[:, rows[v]]) for v in vs]  # dZ2 @ A1.T -> (1, n_h)
    # W2.T @ dZ2 has an inner dimension of 1: one rounded product per entry, which a broadcast
    # multiplication computes just the same.
    outer_products = [(W2[:, rows[v]].T, dZ2[v : v + 1], dZ1[rows[v]]) for v in vs]  # -> (n_h, m)
    dw1_products = [(dZ1[rows[v]], Xs[v].T, dW1[rows[v]]) for v in vs]  # dZ1 @ X.T -> (n_h, n_x)

    if not np.all((Ys == 0.0) | (Ys == 1.0)):  # pragma: no cover - every loader draws 0/1 labels
        raise ValueError("train_group needs labels that are exactly 0 or 1")
    label_true = Ys > 0.5  # (V, m)
    # Labels are 0 or 1, so the course's Y log(A2) + (1 - Y) log(1 - A2) keeps exactly one of its
    # terms (the other is +-0): log_expit(+Z2) where Y = 1 and log_expit(-Z2) where Y = 0, the same
    # bits at half the work. Non-finite Z2 (where the course's formula gives NaN) is caught apart.
    sign = np.where(label_true, 1.0, -1.0)  # (V, m)
    diverged_at: list[int | None] = [None] * V
    matmul, multiply = np.matmul, np.multiply

    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(T + 1):
            # forward, as nncore.model.forward
            for a, b, out in z1_products:
                matmul(a, b, out=out)
            A1 += b1
            np.tanh(A1, out=A1)  # (N, m)
            for a, b, out in z2_products:
                matmul(a, b, out=out)
            Z2 += b2
            expit(Z2, out=A2)  # (V, m)
            # cost and accuracy, as nncore.model.cost and accuracy
            multiply(sign, Z2, out=L)
            log_expit(L, out=L)
            J = rcost[i]  # (V,)
            np.sum(L, axis=1, out=J)
            np.negative(J, out=J)
            J /= m
            finite = np.isfinite(J) & np.isfinite(Z2).all(axis=1)
            for v in np.flatnonzero(~finite):
                if diverged_at[v] is None:
                    diverged_at[v] = i
            if all(d is not None for d in diverged_at):
                break
            rW1[i], rb1[i], rW2[i], rb2[i] = W1, b1, W2, b2
            racc[i] = np.count_nonzero((A2 > 0.5) == label_true, axis=1) / m
            if i == T:
                break
            # backward, as nncore.model.backward
            np.subtract(A2, Ys, out=dZ2)  # (V, m)
            for a, b, out in dw2_products:
                matmul(a, b, out=out)
            dW2 /= m
            np.sum(dZ2, axis=1, keepdims=True, out=db2)  # (V, 1)
            db2 /= m
            for a, b, out in outer_products:
                multiply(a, b, out=out)
            np.square(A1, out=S)
            np.subtract(1.0, S, out=S)
            dZ1 *= S  # (N, m)
            for a, b, out in dw1_products:
                matmul(a, b, out=out)
            dW1 /= m
            np.sum(dZ1, axis=1, keepdims=True, out=db1)  # (N, 1)
            db1 /= m
            rdW1[i], rdb1[i], rdW2[i], rdb2[i] = dW1, db1, dW2, db2
            # update, as nncore.model.update: theta - learning_rate * dtheta
            for theta, lr, grad, step in zip(
                (W1, b1, W2, b2), (lr_rows, lr_rows, lr_cols, lr_var), (dW1, db1, dW2, db2), steps, strict=True
            ):
                theta -= multiply(lr, grad, out=step)
            if progress is not None and i % _PROGRESS_EVERY == 0:
                progress(i, T)
    if progress is not None:
        progress(T, T)

    results: list[History | TrainingDiverged] = []
    for v, (c, r) in enumerate(zip(cfgs, rows, strict=True)):
        if diverged_at[v] is not None:
            results.append(TrainingDiverged(diverged_at[v], lrs[v]))
            continue
        h = History(
            history_meta(c, Xs[v]),
            Xs[v],
            Y_each[v],
            rW1[:, r].copy(),
            rb1[:, r].copy(),
            rW2[:, :, r].copy(),
            rb2[:, v : v + 1].copy(),
            rcost[:, v].copy(),
            racc[:, v].copy(),
            rdW1[:, r].copy(),
            rdb1[:, r].copy(),
            rdW2[:, :, r].copy(),
            rdb2[:, v : v + 1].copy(),
        )
        h.validate(f"sweep history {c.dataset}, {c.hidden_units} hidden units")
        results.append(h)
    return results


def train_many(
    cfgs: Sequence[TrainConfig], progress: ProgressCallback | None = None
) -> list[History | TrainingDiverged]:
    """Train several configs, vectorising those that share a data-set size and iteration count.

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
    groups: dict[tuple[int, int], list[int]] = {}
    for j, c in enumerate(cfgs):
        groups.setdefault((_points(c), c.iterations), []).append(j)
    total = sum(T for _, T in groups)
    done = 0
    results: list[History | TrainingDiverged | None] = [None] * len(cfgs)
    for (_, T), members in groups.items():
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


# --- running and reading sweeps ------------------------------------------------------------------


@dataclass(frozen=True)
class SweepEntry:
    """One variation's outcome, as :func:`run_sweep` and :func:`load_sweep` return it.

    Attributes
    ----------
    label : str
        ``<key>=<value>``, e.g. ``hidden_units=20``.
    value : int, float or str
        The varied value.
    config : TrainConfig
        The variation's full config (also in its history's meta).
    history : History or None
        The recorded run; ``None`` if training diverged.
    path : Path or None
        The history file; ``None`` if training diverged.
    diverged_at : int or None
        Index of the first parameters whose cost was not finite, if training diverged.
    trained : bool
        True if this call trained it, False if it was reused from an earlier run.
    """

    label: str
    value: int | float | str
    config: TrainConfig
    history: History | None
    path: Path | None
    diverged_at: int | None
    trained: bool

    @property
    def diverged(self) -> bool:
        """True if training stopped because the cost was no longer finite."""
        return self.diverged_at is not None

    @property
    def final_cost(self) -> float:
        """Cost of the final parameters (NaN if diverged)."""
        return math.nan if self.history is None else float(self.history.cost[-1])

    @property
    def final_accuracy(self) -> float:
        """Training accuracy of the final parameters, a fraction (NaN if diverged)."""
        return math.nan if self.history is None else float(self.history.accuracy[-1])


def sweep_dir(sweep: Sweep | str, out_dir: str | Path = DEFAULT_SWEEP_DIR) -> Path:
    """Directory of one sweep's histories and index: ``<out_dir>/<sweep name>``."""
    return Path(out_dir) / (sweep if isinstance(sweep, str) else sweep.name)


def read_index(directory: str | Path) -> dict[str, Any]:
    """Read and check a sweep's ``index.json``.

    Raises
    ------
    HistoryError
        If it is missing, not JSON, of another schema version or lacks a field.
    """
    path = Path(directory) / INDEX_NAME
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HistoryError(f"{path}: sweep index not found (create it with `python -m nncore sweep`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise HistoryError(f"{path}: not a readable sweep index ({err.__class__.__name__}: {err})") from None
    if not isinstance(index, dict) or index.get("schema_version") != INDEX_SCHEMA_VERSION:
        version = index.get("schema_version") if isinstance(index, dict) else None
        raise HistoryError(
            f"{path}: unknown sweep index schema version {version!r}; this nncore reads version "
            f"{INDEX_SCHEMA_VERSION} (re-create it with `python -m nncore sweep`)"
        )
    variations = index.get("variations")
    fields = ("label", "value", "config", "file", "diverged_at", "final_cost", "final_accuracy")
    if not isinstance(variations, list) or not all(
        isinstance(v, dict) and all(f in v for f in fields) for v in variations
    ):
        raise HistoryError(f"{path}: malformed sweep index ('variations' must list objects with {', '.join(fields)})")
    return index


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    with atomic_write(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, allow_nan=False)
        fh.write("\n")


def _reuse(variation: Variation, directory: Path, index: dict[str, Any] | None) -> SweepEntry | None:
    """The variation's earlier outcome if it was produced with the same config, else ``None``."""
    config = variation.config.to_dict()
    previous = None
    if index is not None:
        previous = next((e for e in index["variations"] if e["label"] == variation.label), None)
    if previous is not None and previous["diverged_at"] is not None and previous["config"] == config:
        return SweepEntry(
            variation.label, variation.value, variation.config, None, None, int(previous["diverged_at"]), False
        )
    path = directory / variation.filename
    if not path.exists():
        return None
    try:
        history = History.load(path)
    except HistoryError:
        return None
    if history.meta["config"] != config:
        return None
    return SweepEntry(variation.label, variation.value, variation.config, history, path, None, False)


def run_sweep(
    sweep: Sweep, out_dir: str | Path = DEFAULT_SWEEP_DIR, progress: ProgressCallback | None = None
) -> list[SweepEntry]:
    """Train the variations that are missing or stale, write their histories and the index.

    Histories are written first, each atomically, then ``index.json`` (atomically): an interrupted
    run leaves every finished history in place for the next run to reuse.

    Parameters
    ----------
    sweep : Sweep
    out_dir : str or Path
        The sweep's files go to ``<out_dir>/<sweep.name>/``.
    progress : callable, optional
        Called with ``(iterations done, total)`` while training; not called if nothing is trained.

    Returns
    -------
    list of SweepEntry
        In the order of the sweep's values.
    """
    directory = sweep_dir(sweep, out_dir)
    try:
        index: dict[str, Any] | None = read_index(directory)
    except HistoryError:
        index = None
    entries: list[SweepEntry | None] = [_reuse(v, directory, index) for v in sweep.variations]
    todo = [j for j, e in enumerate(entries) if e is None]
    if todo:
        results = train_many([sweep.variations[j].config for j in todo], progress)
        for j, res in zip(todo, results, strict=True):
            v = sweep.variations[j]
            if isinstance(res, TrainingDiverged):
                entries[j] = SweepEntry(v.label, v.value, v.config, None, None, res.iteration, True)
            else:
                path = res.save(directory / v.filename)
                entries[j] = SweepEntry(v.label, v.value, v.config, res, path, None, True)
    done = [e for e in entries if e is not None]
    new_index = _index(sweep, done)
    if index != json.loads(json.dumps(new_index)):  # untouched when nothing changed (scenes read it)
        _write_json_atomic(directory / INDEX_NAME, new_index)
    return done


def _index(sweep: Sweep, entries: list[SweepEntry]) -> dict[str, Any]:
    return {
        "schema_version": INDEX_SCHEMA_VERSION,
        "sweep": sweep.name,
        "description": sweep.description,
        "vary": sweep.vary,
        "sweeps_file": sweep.source,
        "nncore_version": __version__,
        "variations": [
            {
                "label": e.label,
                "value": e.value,
                "file": None if e.path is None else e.path.name,
                "config": e.config.to_dict(),
                "diverged_at": e.diverged_at,
                "final_cost": None if e.diverged else e.final_cost,
                "final_accuracy": None if e.diverged else e.final_accuracy,
            }
            for e in entries
        ],
    }


def load_sweep(
    name: str,
    sweeps_file: str | Path | None = None,
    out_dir: str | Path | None = None,
    train_missing: bool = True,
) -> list[SweepEntry]:
    """Return one sweep's variations with their histories, for scenes.

    Parameters
    ----------
    name : str
        The sweep, e.g. ``"hidden_sizes"``.
    sweeps_file : str or Path, optional
        Default ``$NN_SWEEPS`` or ``media_config/sweeps.toml``.
    out_dir : str or Path, optional
        Default ``$NN_SWEEP_DIR`` or ``build/sweeps``.
    train_missing : bool
        If True (the default, like ``scenes.common.load_history``), variations that are missing or
        were trained with another config are trained first and the index rewritten. If False,
        such a variation is an error.

    Returns
    -------
    list of SweepEntry
        In the order of the declared values; ``entry.label``, ``entry.value``, ``entry.history``
        (``None`` for a diverged run, with ``entry.diverged_at``).

    Raises
    ------
    ConfigError
        Bad sweeps file, or no sweep of that name.
    HistoryError
        ``train_missing=False`` and a variation is missing or stale.
    """
    sweeps_file = Path(sweeps_file or os.environ.get(SWEEPS_ENV) or DEFAULT_SWEEPS_PATH)
    out_dir = Path(out_dir or os.environ.get(SWEEP_DIR_ENV) or DEFAULT_SWEEP_DIR)
    sweeps = load_sweeps(sweeps_file)
    if name not in sweeps:
        raise ConfigError(f"{sweeps_file}: no sweep named {name!r}; declared: {', '.join(sweeps)}")
    sweep = sweeps[name]
    if train_missing:
        return run_sweep(sweep, out_dir)
    directory = sweep_dir(sweep, out_dir)
    try:
        index: dict[str, Any] | None = read_index(directory)
    except HistoryError:
        index = None
    entries = []
    for v in sweep.variations:
        entry = _reuse(v, directory, index)
        if entry is None:
            raise HistoryError(
                f"{directory / v.filename}: missing or trained with another config; "
                f"run `python -m nncore sweep --config {sweeps_file} --sweep {name}`"
            )
        entries.append(entry)
    return entries
