"""Any configuration the core accepts, as a Hypothesis strategy, and the lecture's layout checked for one.

``tests/test_layout_property.py`` uses both; other tests may draw from :func:`lecture_configs` too
(one strategy for "any configuration", as STYLE.md asks).

:func:`lecture_configs` draws every key of :class:`~nncore.TrainConfig` that a lecture accepts
(everything ``nncore`` trains) over its whole documented range: every data set, its default noise or any from 0 to 2
(circles: any factor too), 1 to 100 hidden units, every initialisation, learning rates from 1e-4
to 100, 1 to 100,000 iterations, any seed, the data set's default number of points or any even
number from 4 to 10,000, no test set or one of 4 to 10,000 points with its own seed. Sizes are
drawn log-uniformly (as many configurations below 10 units as above 10), so both ends are tried.
One bound ties them together: a configuration's training work (points × hidden units ×
iterations, :func:`training_work`) stays under :data:`MAX_WORK`, so an example trains in seconds;
the iterations are drawn last, up to what that bound leaves (100,000 iterations are drawn with
small networks and few points, 100 units with fewer iterations).

The keys of the course's later models (:data:`NEW_KEYS`: 1 to 4 hidden layers of 1 to 100 units,
the activation, the optimiser with its coefficients, mini-batches, L2, dropout, learning-rate decay,
the input features) are drawn too, by the long search and ``make test``'s seeded examples alike
(:func:`drawn_keys`); ``$NN_LAYOUT_KEYS`` narrows them (names, comma-separated:
``NN_LAYOUT_KEYS=hidden_layers,activation make test-layout``; ``all``; ``none``: only week 3's
network). The bound counts every layer (points × the network's
multiply-adds × iterations, :func:`training_work`), the updates of mini-batches
(:data:`MAX_BATCH_UPDATES`) and the history's size (every parameter, its gradient and moments at
every snapshot).

:func:`check_lecture` trains one configuration's history and the sweeps its segments read (with
that configuration as their base, as ``media_config/sweeps.toml`` has ``media_config/lecture.toml``)
and plays every segment of ``media_config/render.toml``, enabled or not, through the layout check
(:func:`scenes.common.layout_check.check_segment`): animations skipped, nothing drawn.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from lecture.settings import Segment, load_render_settings
from nncore import TrainConfig, train
from nncore.config import (
    ACTIVATIONS,
    DATASETS,
    FEATURES,
    INITS,
    MAX_HIDDEN_LAYERS,
    MAX_HIDDEN_UNITS,
    MAX_ITERATIONS,
    MAX_POINTS,
    NOISELESS,
    OPTIMIZERS,
)
from nncore.data import DEFAULT_POINTS
from nncore.errors import TrainingDiverged
from nncore.paths import DEFAULT_RENDER_CONFIG, DEFAULT_SWEEPS, HISTORY_ENV, SWEEP_DIR_ENV, SWEEPS_ENV
from scenes.common.layout_check import SegmentCheck, check_segment

ROOT = Path(__file__).resolve().parents[1]

MAX_WORK = 4e8
"""Largest points × hidden units × iterations an example trains (about 5 s of NumPy per run)."""

MAX_HISTORY_ENTRIES = 2_000_000
"""Largest iterations × hidden units: the history's size (16 bytes × 4 per entry, 128 MB)."""


MAX_BATCH_UPDATES = 200_000
"""Most parameter updates (iterations × mini-batches an epoch) an example with mini-batches trains:
each is a few NumPy calls of Python, about 30 µs however small."""

NEW_KEYS: tuple[str, ...] = (
    "hidden_layers",
    "activation",
    "optimizer",
    "batch_size",
    "l2",
    "keep_prob",
    "decay_rate",
    "features",
)
"""The keys of the course's later models, drawn besides week 3's (``$NN_LAYOUT_KEYS`` narrows them)."""

KEYS_ENV = "NN_LAYOUT_KEYS"
"""Names the keys of :data:`NEW_KEYS` to draw (comma-separated, ``all`` or ``none``); unset: all."""


def drawn_keys() -> frozenset[str]:
    """The keys of :data:`NEW_KEYS` the strategy draws: those ``$NN_LAYOUT_KEYS`` names, else all of them.

    ``none`` draws week 3's network only (one tanh hidden layer, full-batch gradient descent).
    """
    chosen = os.environ.get(KEYS_ENV, "").strip() or "all"
    if chosen == "all":
        return frozenset(NEW_KEYS)
    if chosen == "none":
        return frozenset()
    keys = frozenset(k.strip() for k in chosen.split(","))
    unknown = keys - set(NEW_KEYS)
    if unknown:
        raise ValueError(f"${KEYS_ENV}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(NEW_KEYS)}")
    return keys


def multiply_adds(cfg: TrainConfig) -> int:
    """The network's multiply-adds per example: every layer's ``n_l × n_{l-1}``, the output's too."""
    sizes = (cfg.n_x, *cfg.layers, 1)
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def parameter_count(cfg: TrainConfig) -> int:
    """The network's weights and biases."""
    sizes = (cfg.n_x, *cfg.layers, 1)
    return sum(b * (a + 1) for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def training_work(cfg: TrainConfig) -> float:
    """Points (training and test) × hidden units × iterations: what training ``cfg`` costs, roughly.

    For any other network than one hidden layer on two inputs, its multiply-adds (over 4, so that
    the two agree for that one: 4 n_h + 1 ≈ 4 n_h) stand for the hidden units.
    """
    if len(cfg.layers) == 1 and cfg.n_x == 2:
        return float(cfg.m + cfg.test_points) * cfg.hidden_units * cfg.iterations
    return float(cfg.m + cfg.test_points) * multiply_adds(cfg) / 4 * cfg.iterations


def _log_int(low: int, high: int) -> st.SearchStrategy[int]:
    """Integers from ``low`` to ``high``, about as many in every decade (both ends included)."""
    top = math.log(high + 1)
    bottom = math.log(low)
    return st.one_of(
        st.sampled_from([low, high]),
        st.floats(bottom, top, exclude_max=True).map(lambda x: min(high, max(low, int(math.exp(x))))),
    )


def _log_float(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats from ``low`` to ``high``, about as many in every decade, rounded to 3 significant digits."""
    return st.floats(math.log10(low), math.log10(high)).map(lambda e: float(f"{10**e:.3g}"))


@st.composite
def lecture_configs(draw: st.DrawFn) -> TrainConfig:
    """A :class:`~nncore.TrainConfig` from the whole space the core accepts (see the module docstring)."""
    dataset = draw(st.sampled_from(DATASETS))
    points = draw(st.one_of(st.none(), _log_int(2, MAX_POINTS // 2).map(lambda half: 2 * half)))
    hidden_units = draw(_log_int(1, MAX_HIDDEN_UNITS))
    learning_rate = draw(st.one_of(st.sampled_from([1e-4, 100.0]), _log_float(1e-4, 100.0)))
    noise = None if dataset in NOISELESS else draw(st.one_of(st.none(), st.just(0.0), _log_float(1e-3, 2.0)))
    factor = draw(st.one_of(st.none(), st.floats(0.0, 0.99))) if dataset == "circles" else None
    test_points = draw(st.one_of(st.just(0), _log_int(2, MAX_POINTS // 2).map(lambda half: 2 * half)))
    seeds = st.integers(0, 2**32 - 1)
    data_seed = draw(seeds)
    test_seed = draw(st.one_of(st.none(), seeds.filter(lambda s: s != data_seed))) if test_points else None
    m = (DEFAULT_POINTS[dataset] if points is None else points) + test_points
    keys = drawn_keys()
    more = draw(model_keys(keys, hidden_units, m - test_points)) if keys else {}
    if not more:  # the one-hidden-layer lecture's bound
        most = int(min(MAX_ITERATIONS, MAX_WORK / (m * hidden_units), MAX_HISTORY_ENTRIES / hidden_units))
    else:
        shape = TrainConfig(hidden_units=hidden_units, points=m - test_points, test_points=test_points, **more)
        # an entry as above: 4 parameters' values and gradients at a snapshot (momentum's velocity and
        # Adam's moments add half or all of that again)
        entries = parameter_count(shape) / 4 * {"gd": 1.0, "momentum": 1.5, "adam": 2.0}[shape.optimizer]
        most = int(
            min(
                MAX_ITERATIONS,
                MAX_WORK / (m * max(multiply_adds(shape) / 4, 1)),  # as training_work counts a network
                MAX_HISTORY_ENTRIES / entries,
                MAX_BATCH_UPDATES / shape.batches,
            )
        )
    iterations = draw(_log_int(1, max(most, 1)))
    return TrainConfig(
        dataset=dataset,
        data_seed=data_seed,
        points=points,
        noise=noise,
        factor=factor,
        test_points=test_points,
        test_seed=test_seed,
        hidden_units=hidden_units,
        init=draw(st.sampled_from(INITS)),
        learning_rate=learning_rate,
        iterations=iterations,
        init_seed=draw(seeds),
        **more,
    )


@st.composite
def model_keys(draw: st.DrawFn, keys: frozenset[str], first_layer: int, m: int) -> dict[str, Any]:
    """The keys of ``keys`` (of :data:`NEW_KEYS`) as :class:`~nncore.TrainConfig` arguments, each over its whole range.

    The first hidden layer has ``first_layer`` units (the strategy's ``hidden_units``); ``m``
    training points bound the mini-batch size. A key not drawn keeps its default.
    """
    out: dict[str, Any] = {}
    seeds = st.integers(0, 2**32 - 1)
    if "hidden_layers" in keys:
        depth = draw(st.integers(1, MAX_HIDDEN_LAYERS))
        if depth > 1:
            out["hidden_layers"] = (first_layer, *(draw(_log_int(1, MAX_HIDDEN_UNITS)) for _ in range(depth - 1)))
    if "activation" in keys:
        out["activation"] = draw(st.sampled_from(ACTIVATIONS))
    if "optimizer" in keys:
        out["optimizer"] = optimizer = draw(st.sampled_from(OPTIMIZERS))
        below_one = st.one_of(
            st.sampled_from([0.0, 0.9, 0.999]), st.floats(0.0, 0.999).map(lambda v: float(f"{v:.3g}"))
        )
        if optimizer == "momentum":
            out["beta"] = draw(below_one)
        elif optimizer == "adam":
            out["beta1"], out["beta2"] = draw(below_one), draw(below_one)
            out["epsilon"] = draw(st.one_of(st.just(1e-8), _log_float(1e-12, 1.0)))
    if "batch_size" in keys:
        batch = draw(st.one_of(st.none(), _log_int(1, m)))
        if batch is not None:
            out["batch_size"], out["batch_seed"] = batch, draw(seeds)
    if "l2" in keys:
        out["l2"] = draw(st.one_of(st.just(0.0), _log_float(1e-4, 10.0)))
    if "keep_prob" in keys:
        keep = draw(st.one_of(st.just(1.0), st.floats(0.01, 1.0).map(lambda v: float(f"{v:.3g}"))))
        if keep < 1:
            out["keep_prob"], out["dropout_seed"] = keep, draw(seeds)
    if "decay_rate" in keys:
        rate = draw(st.one_of(st.just(0.0), _log_float(1e-4, 10.0)))
        if rate > 0:
            out["decay_rate"], out["decay_interval"] = rate, draw(_log_int(1, 1000))
    if "features" in keys:
        names = st.lists(st.sampled_from(FEATURES), min_size=1, max_size=len(FEATURES), unique=True)
        out["features"] = tuple(draw(st.one_of(st.just(["x1", "x2"]), names)))
    return out


def config_toml(cfg: TrainConfig) -> str:
    """``cfg`` as the text of a ``media_config/lecture.toml``."""
    out = []
    for table, values in cfg.to_toml_tables().items():
        out.append(f"[{table}]")
        out += [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v!r}" for k, v in values.items()]
    return "\n".join(out) + "\n"


def lecture_segments() -> list[Segment]:
    """Every segment of ``media_config/render.toml``, enabled or not, with the title and summary."""
    return load_render_settings(ROOT / DEFAULT_RENDER_CONFIG).all_segments()


@dataclass(frozen=True)
class LectureCheck:
    """One configuration's lecture through the layout check: each segment's beats and problems."""

    config: TrainConfig
    segments: dict[str, SegmentCheck]

    def problems(self) -> list[str]:
        """Every problem, one line each, named by segment."""
        return [f"{name}: {p}" for name, check in self.segments.items() for p in check.problems]


def lecture_env(cfg: TrainConfig, folder: Path, sweep_dir: Path) -> dict[str, str]:
    """Train ``cfg`` into ``folder`` and write a sweeps file based on it; the environment a scene reads it by.

    The sweeps are ``media_config/sweeps.toml``'s, with ``cfg`` as their base; the scenes train
    them into ``sweep_dir`` when they first read them (a variation trained earlier with the same
    config is reused, so the pinned ``hidden_sizes`` sweep trains once).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lecture.toml").write_text(config_toml(cfg), encoding="utf-8")
    sweeps = (ROOT / DEFAULT_SWEEPS).read_text(encoding="utf-8")
    assert re.search(r'(?m)^base = "lecture.toml"', sweeps), f'{DEFAULT_SWEEPS} no longer has base = "lecture.toml"'
    (folder / "sweeps.toml").write_text(sweeps, encoding="utf-8")  # its base is now the lecture.toml beside it
    history = folder / "history.npz"
    try:
        run = train(cfg)
    except TrainingDiverged:  # the core stops such a run with one line (a deep ReLU net at a rate of 100): no lecture
        reject()
    run.save(history)
    return {HISTORY_ENV: str(history), SWEEPS_ENV: str(folder / "sweeps.toml"), SWEEP_DIR_ENV: str(sweep_dir)}


PINNED_CHAPTERS = ("initialization", "optimizers", "regularization", "hidden_sizes")
"""The course's experiments: they read their sweeps only (no history), and their sweeps pin or reset
every key they train with, so every configuration gives them the same runs. ``hidden_sizes`` also
says whether the lecture's network is another (:func:`scenes.common.comparison.not_the_lecture`):
that sentence is part of what its picture depends on."""

_checked_pinned: dict[tuple[str, str], SegmentCheck] = {}
"""This process's check of each pinned chapter, by (segment, its sweeps' configs): played once."""


def _pinned_key(seg: Segment, sweeps_file: Path) -> tuple[str, str] | None:
    """What a pinned chapter's picture depends on (its sweeps' variations), or ``None`` for any other segment."""
    if seg.name not in PINNED_CHAPTERS:
        return None
    from nncore import load_config
    from nncore.sweeps_file import load_sweeps
    from scenes.common.comparison import not_the_lecture

    declared = load_sweeps(sweeps_file)
    variations = [v for name in seg.sweeps for v in declared[name].variations]
    lecture = load_config(sweeps_file.parent / "lecture.toml")  # what the scene reads (lecture_config)
    said = not_the_lecture(variations[0].config, lecture, widths=False) if seg.name == "hidden_sizes" else ""
    return seg.name, repr([v.config.to_dict() for v in variations]) + said


def check_lecture(cfg: TrainConfig, folder: Path, sweep_dir: Path, segments: list[str] | None = None) -> LectureCheck:
    """Train ``cfg`` and play every segment (or those named) through the layout check.

    A pinned chapter (:data:`PINNED_CHAPTERS`) whose sweeps are the same runs as a configuration
    before this one's (in this process) gets that check again, not a second play: the same runs give
    the same picture.
    """
    from scenes.common import history

    env = lecture_env(cfg, folder, sweep_dir)
    results = {}
    try:
        for seg in lecture_segments():
            if segments is None or seg.name in segments:
                key = _pinned_key(seg, folder / "sweeps.toml")
                if key is not None and key in _checked_pinned:
                    results[seg.name] = _checked_pinned[key]
                    continue
                results[seg.name] = check_segment(seg.file, seg.cls, env)
                if key is not None:
                    _checked_pinned[key] = results[seg.name]
    finally:
        history._load.cache_clear()  # each example's history is read once: do not keep them all
    return LectureCheck(cfg, results)
