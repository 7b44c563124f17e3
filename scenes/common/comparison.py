"""Several runs of a sweep compared: ``scenes/hidden_sizes.py``, ``learning_rates.py`` and ``datasets.py`` use it.

The comparison segments show one sweep (:func:`nncore.sweep.load_sweep`): several runs of the
same network that differ in one setting. What they share beyond the panels
(:class:`~scenes.common.panels.RunCard`) and the curves (:class:`~scenes.common.curves.CostCurves`):

- :func:`load_runs` — a sweep's entries for a scene: one line and exit code 2 on bad input.
- :func:`comparison_schedule` — the iterations one clock shows for runs of different lengths.
- :data:`RUN_COLORS` — one colour per run, in the sweep's order.
- :class:`RunSelection` — which of a sweep's runs finished or diverged, for a scene's numbers.
- :func:`lecture_config`, :func:`not_the_lecture` — the run the sweeps vary, and a sentence saying
  when a sweep's runs are another network than the lecture's (a sweep may pin its own).
- :func:`plane_extent` — the window a run's boundary picture shows, in the plane of its points.

Every number shown is read from the histories.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import numpy as np
from manim import ManimColor

from nncore import History, NNCoreError, TrainConfig, load_config
from nncore.config import read_toml
from nncore.paths import DEFAULT_SWEEPS, SWEEP_BASE_ENV, SWEEPS_ENV
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.clock import sample_iterations
from scenes.common.field import Extent, data_extent
from scenes.common.model_text import activation, hidden_layer_words

RUN_COLORS: tuple[ManimColor, ...] = (
    ManimColor("#9A9A9A"),
    ManimColor("#58C4DD"),
    ManimColor("#9BE564"),
    ManimColor("#FFBF69"),
    ManimColor("#F15BB5"),
    ManimColor("#B388EB"),
    ManimColor("#FFD166"),
)
"""One colour per run, in the sweep's order (curves and their legend)."""


class _Run(Protocol):
    @property
    def diverged(self) -> bool: ...


R = TypeVar("R", bound=_Run)


class RunSelection(Generic[R]):
    """Mixin for a segment's numbers holding ``runs`` (one per variation, in the sweep's order).

    Selections are tuples of run indices, in the sweep's order, so a caption and the beat that
    circles those runs read the same ones.
    """

    runs: tuple[R, ...]

    def pick(self, indices: Sequence[int]) -> list[R]:
        """The runs at ``indices``."""
        return [self.runs[j] for j in indices]

    @property
    def finished(self) -> tuple[int, ...]:
        """The runs that did not diverge (they have a curve, a boundary and final numbers)."""
        return tuple(j for j, r in enumerate(self.runs) if not r.diverged)

    @property
    def diverged(self) -> tuple[int, ...]:
        """The runs that diverged."""
        return tuple(j for j, r in enumerate(self.runs) if r.diverged)


def load_runs(name: str) -> list[SweepEntry]:
    """The entries of sweep ``name`` (``$NN_SWEEPS``, ``$NN_SWEEP_DIR``), trained first if missing.

    On bad input (a malformed sweeps file, an unknown sweep, an unreadable history) this prints
    one line to stderr and exits with code 2, as :func:`scenes.common.history.load_history` does.
    """
    try:
        return load_sweep(name)
    except NNCoreError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def comparison_schedule(histories: Sequence[History | None], frames: int) -> np.ndarray:
    """Iterations a shared clock shows: log spaced up to the longest run, at most ``frames`` of them.

    Log spacing gives each decade the same screen time, so curves on a log iteration axis grow at
    an even pace; no single run's cost decides the pace.
    """
    T = max((h.iterations for h in histories if h is not None), default=0)
    return sample_iterations(T, max(int(frames), 2))


def lecture_config() -> TrainConfig | None:
    """The lecture's own run, which the sweeps vary; ``None`` if it cannot be read.

    As :func:`nncore.sweep.load_sweep` bases the sweeps: ``$NN_SWEEP_BASE`` (the build's
    ``--config``), else the ``base`` of the sweeps file (``$NN_SWEEPS`` or
    ``media_config/sweeps.toml``). Without it a comparison names its runs only.
    """
    try:
        path = os.environ.get(SWEEP_BASE_ENV)
        if not path:
            sweeps = Path(os.environ.get(SWEEPS_ENV) or DEFAULT_SWEEPS)
            path = str(sweeps.parent / str(read_toml(sweeps, "sweeps file").get("base", "")))
        return load_config(path)
    except NNCoreError:
        return None


def not_the_lecture(runs: TrainConfig, lecture: TrainConfig | None, widths: bool = True) -> str:
    """A sentence for a comparison whose runs are another network than the lecture's, else empty.

    "Not this lecture's network: as in the course, one hidden layer of 4 tanh units on x1 and x2."
    (a sweep pins the course's network when the lecture's run is deeper, another activation or on
    other inputs). Empty when the two have as many hidden layers, the same activation and inputs (a
    sweep of widths or of data sets has other widths than the lecture's, as its captions say).
    ``widths=False`` for a sweep of widths: "one hidden layer of tanh units".
    """
    if lecture is None:
        return ""
    shape = (len(runs.layers), runs.activation, runs.features)
    if shape == (len(lecture.layers), lecture.activation, lecture.features):
        return ""
    inputs = " and ".join(runs.features) if len(runs.features) <= 2 else ", ".join(runs.features)
    layers = hidden_layer_words(runs, activation(runs).name)
    if not widths:
        depth = len(runs.layers)
        layers = f"{'one hidden layer' if depth == 1 else f'{depth} hidden layers'} of {activation(runs).name} units"
    return f"Not this lecture's network: as in the course, {layers} on {inputs}."


def plane_extent(history: History) -> Extent:
    """:func:`~scenes.common.field.data_extent` of a run's points in the plane (not of its features)."""
    return data_extent(history.more.get("points", history.X), aspect=1.0)


__all__ = [
    "RUN_COLORS",
    "RunSelection",
    "comparison_schedule",
    "lecture_config",
    "load_runs",
    "not_the_lecture",
    "plane_extent",
]
