"""Running and reading sweeps: each variation's history, the sweep's ``index.json``, and the scenes' loader.

``python -m nncore sweep [--config media_config/sweeps.toml] [--sweep NAME] [--out-dir build/sweeps]``
trains every variation of every sweep declared in the sweeps file (or only ``NAME``) and writes
one history per variation plus an index::

    build/sweeps/<sweep>/<key>=<value>.npz   # the same validated history format as `nncore train`
    build/sweeps/<sweep>/index.json          # what was varied, each variation's config and outcome

The sweeps file is read by :mod:`nncore.sweeps_file` and the missing variations are trained by
:mod:`nncore.batch` (together, bit for bit as :func:`nncore.train` would). This module decides
what to train: :func:`run_sweep` reuses a variation whose history file already holds its config
and records one whose cost stopped being finite as diverged, with the iteration. Scenes read a
sweep with :func:`load_sweep` (``$NN_SWEEPS`` and ``$NN_SWEEP_DIR`` point it elsewhere).
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nncore.atomic import atomic_write
from nncore.batch import train_many
from nncore.config import TrainConfig
from nncore.errors import ConfigError, HistoryError, TrainingDiverged
from nncore.history import History
from nncore.paths import DEFAULT_SWEEP_DIR, DEFAULT_SWEEPS, SWEEP_BASE_ENV, SWEEP_DIR_ENV, SWEEPS_ENV
from nncore.sweeps_file import Sweep, Variation, load_sweeps
from nncore.train import ProgressCallback
from nncore.version import __version__

INDEX_NAME = "index.json"
INDEX_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class SweepEntry:
    """One variation's outcome, as :func:`run_sweep` and :func:`load_sweep` return it.

    Attributes
    ----------
    label : str
        ``<key>=<value>``, e.g. ``hidden_units=20``.
    value : int, float, str or list
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
    value: int | float | str | list[Any]
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


def _previous_index(directory: Path) -> dict[str, Any] | None:
    """The sweep's index if there is a readable one (what an earlier run did), else ``None``."""
    try:
        return read_index(directory)
    except HistoryError:
        return None


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    with atomic_write(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, allow_nan=False)
        fh.write("\n")


def _borrow(variation: Variation, name: str, directory: Path, others: Sequence[Path]) -> None:
    """Copy into ``directory`` the variation's history from another sweeps folder that trained the same config.

    A sweep pinned to its own settings (the course's experiments) trains the same runs whatever the
    base config: a lecture built from another config takes them from the folder of the first. The
    copy is atomic; a history trained with another config is left where it is.
    """
    for other in others:
        path = Path(other) / name / variation.filename
        if path.resolve() == (directory / variation.filename).resolve() or not path.is_file():
            continue
        try:
            history = History.load(path)
        except HistoryError:
            continue
        if history.trained_with(variation.config):
            with atomic_write(directory / variation.filename, "wb") as fh, path.open("rb") as src:
                shutil.copyfileobj(src, fh)
            return


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
    if not history.trained_with(variation.config):
        return None
    return SweepEntry(variation.label, variation.value, variation.config, history, path, None, False)


def run_sweep(
    sweep: Sweep,
    out_dir: str | Path = DEFAULT_SWEEP_DIR,
    progress: ProgressCallback | None = None,
    borrow_from: Sequence[Path] = (),
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
    borrow_from : sequence of Path
        Other sweeps folders: a missing variation that one of them trained with the same config is
        copied from there instead of trained (it counts as reused).

    Returns
    -------
    list of SweepEntry
        In the order of the sweep's values.
    """
    directory = sweep_dir(sweep, out_dir)
    index = _previous_index(directory)
    entries: list[SweepEntry | None] = [_reuse(v, directory, index) for v in sweep.variations]
    if borrow_from and any(e is None for e in entries):
        directory.mkdir(parents=True, exist_ok=True)
        for j, v in enumerate(sweep.variations):
            if entries[j] is None:
                _borrow(v, sweep.name, directory, borrow_from)
                entries[j] = _reuse(v, directory, None)
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


def _json_number(value: float) -> float | str:
    """``value`` as JSON can hold it: a finite number as is, an infinite cost as ``"inf"`` (JSON has no infinity).

    A run that does not diverge may still end at an infinite cost: its output saturated to exactly
    0 or 1 on a point of the other class (weights drawn x 10), so its log loss is ``inf``.
    """
    return value if math.isfinite(value) else str(value)


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
                "final_cost": None if e.diverged else _json_number(e.final_cost),
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
        Default ``$NN_SWEEPS`` or ``media_config/sweeps.toml``; ``$NN_SWEEP_BASE`` names another
        base config for it (the build's ``--config``).
    out_dir : str or Path, optional
        Default ``$NN_SWEEP_DIR`` or ``build/sweeps``.
    train_missing : bool
        If True (the default, like ``scenes.common.history.load_history``), variations that are missing or
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
    sweeps_file = Path(sweeps_file or os.environ.get(SWEEPS_ENV) or DEFAULT_SWEEPS)
    out_dir = Path(out_dir or os.environ.get(SWEEP_DIR_ENV) or DEFAULT_SWEEP_DIR)
    sweeps = load_sweeps(sweeps_file, os.environ.get(SWEEP_BASE_ENV) or None)
    if name not in sweeps:
        raise ConfigError(
            f"{sweeps_file}: no sweep named {name!r}; declared: {', '.join(sweeps)}; declare [sweeps.{name}] "
            f"(as {DEFAULT_SWEEPS} does), then `python -m nncore sweep --sweep {name}` trains it"
        )
    sweep = sweeps[name]
    if train_missing:
        return run_sweep(sweep, out_dir)
    directory = sweep_dir(sweep, out_dir)
    index = _previous_index(directory)
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
