r"""``manim render scenes/hidden_sizes.py HiddenSizes``: the same network with more or fewer hidden units.

Optional segment *More or fewer hidden units* of the lecture (``-ql`` for a quick 480p preview).
It reads the ``hidden_sizes`` sweep of ``media_config/sweeps.toml`` through
:func:`nncore.sweep.load_sweep` (``$NN_SWEEPS`` and ``$NN_SWEEP_DIR`` point it at another sweeps
file or folder; missing runs are trained first): the course's experiment, the 2-n_h-1 network
trained with 1, 2, 3, 4, 5, 20 and 50 hidden units. One iteration clock drives every run's
decision-boundary picture and training accuracy side by side:

1. ``setup`` — the runs at iteration 0: same data, learning rate and iterations, only ``n_h`` differs;
2. ``early`` — the clock runs through the first iterations, where the boundaries form;
3. ``late`` — the remaining iterations, faster;
4. ``few`` — the runs with 1-2 units (the course's "too few"), with their accuracies;
5. ``enough`` — 3-5 units;
6. ``more`` — 20 units and more: what the extra units buy (accuracy, cost, boundary length);
7. ``table`` — under each final boundary, its accuracy (beside the course's published one, for the
   course's exact runs), final cost and boundary length; bars of the accuracies.

A beat whose group of sizes the sweep does not have is left out. Every number comes from the
histories: :func:`sweep_numbers` computes them and :func:`captions` narrates them, both free of
Manim state so that ``tests/test_scene_hidden_sizes.py`` can check them, and the beats of
:class:`HiddenSizes` read the same numbers; a claim ("underfit", "no better", "longer
boundaries") is only made when the numbers show it.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Circle,
    Create,
    FadeOut,
    Group,
    Line,
    MathTex,
    Mobject,
    Rectangle,
    SurroundingRectangle,
    Text,
    VGroup,
    config,
)
from manim.utils.color import ParsableManimColor

from nncore import History, NNCoreError, TrainConfig
from nncore.data import DEFAULT_POINTS
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.clock import IterationClock, early_seconds, milestone_iteration, passes_faster, sample_iterations
from scenes.common.comparison import lecture_config, not_the_lecture
from scenes.common.field import BoundaryField, Extent, data_extent
from scenes.common.format import (
    caption_number,
    caption_percent,
    caption_setting,
    cost_text,
    count,
    percent_text,
    spoken_list,
)
from scenes.common.model_text import step_word, training_sentence
from scenes.common.narration import Narrated
from scenes.common.numbers import HistoryNumber
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.common.panels import BoundaryPanel
from scenes.common.raster import RasterScene, fade_to_black, reveal
from scenes.common.tex import prefetch

SWEEP = "hidden_sizes"
"""The sweep this segment reads (``media_config/sweeps.toml``)."""

TRAIN_SECONDS = 24.0
"""Screen time of the runs, iteration 0 to T (the ``early`` and ``late`` beats together)."""

MILESTONE_DROP = 0.8
"""The ``early`` beat ends where the mean cost has made this fraction of its total decrease."""

MIN_CLOCK_SECONDS = 8.0
"""Neither the ``early`` nor the ``late`` beat runs the clock for less than this."""

GROUPS = (("few", 1, 2), ("enough", 3, 5), ("more", 6, None))
"""The course's three kinds of hidden-layer size: (beat, smallest, largest ``n_h``; ``None``: no limit)."""

UNDERFIT_POINTS = 5.0
"""A group "underfits" when its best accuracy is more than this many percentage points below the best run's."""

ENOUGH_POINTS = 1.0
"""A group is "enough" when its worst accuracy is within this many percentage points of the best run's."""

LENGTH_GRID = 300
"""Pixels per side of the grid on which the decision boundaries' lengths are measured."""

COURSE_ACCURACY = {1: 0.675, 2: 0.6725, 3: 0.9075, 4: 0.905, 5: 0.9125, 20: 0.90, 50: 0.9025}
"""The training accuracies the course's notebook printed for this experiment (Course 1, Week 3, 4.6).

Shown beside the histories' own only for runs with exactly the course's settings
(:func:`course_accuracy`). nncore reproduces 1 to 20 units exactly; for 50 units it gets 90.75 %:
at learning rate 1.2 last-bit rounding differences grow during training (docs/core.md, "Sweeps").
"""

LISTED = 7
"""The setup's caption names every hidden-layer size up to this many runs, else their range."""

MAX_RUNS = 11
COLUMNS = 4
"""Columns of the grid of pictures; the slot after the last run holds the clock's iteration."""
HEADING_SIZE = 34
LABEL_SIZE = 26


@dataclass(frozen=True)
class SweepNumbers:
    """Every number the segment says or shows in text, read from the sweep's histories.

    Attributes
    ----------
    units : tuple of int
        Hidden units of each run, in the sweep's order.
    T : int
        Iterations of the longest run (the clock's end); ``iterations`` per run.
    iterations : tuple of int
    m : int
        Training points.
    dataset : str
    learning_rate : float
        The first run's (``same_rate``: every run's is the same).
    same_rate, same_iterations : bool
    acc0 : tuple of float
        Accuracies at iteration 0.
    milestone : int
        Where the ``early`` beat stops (a scheduled iteration).
    acc_m : tuple of float
        Accuracies at the milestone.
    early_seconds, late_seconds : float
        Screen time of iterations ``0..milestone`` and ``milestone..T``.
    every_iteration : bool
        The schedule shows every iteration (a short run).
    acc, cost : tuple of float
        Final training accuracy (fraction) and cost of each run.
    course : tuple of float, optional
        The course's published accuracy of each run (:data:`COURSE_ACCURACY`), when every run has
        exactly the course's settings; otherwise ``None``.
    length : tuple of float
        Length of each final decision boundary (the 0.5 line) inside the panels' window, in
        input-space units.
    unit : str
        What the runs count: "iteration", or "epoch" for runs on mini-batches.
    training : str
        A sentence saying how the runs learn, empty for full-batch gradient descent
        (:func:`~scenes.common.model_text.training_sentence`).
    lecture : str
        A sentence saying the runs are not the lecture's network, when they are not
        (:func:`~scenes.common.comparison.not_the_lecture`).
    """

    units: tuple[int, ...]
    T: int
    iterations: tuple[int, ...]
    m: int
    dataset: str
    learning_rate: float
    same_rate: bool
    same_iterations: bool
    acc0: tuple[float, ...]
    milestone: int
    acc_m: tuple[float, ...]
    early_seconds: float
    late_seconds: float
    every_iteration: bool
    acc: tuple[float, ...]
    cost: tuple[float, ...]
    length: tuple[float, ...]
    course: tuple[float, ...] | None = None
    unit: str = "iteration"
    training: str = ""
    lecture: str = ""

    @property
    def best(self) -> int:
        """Index of the run with the highest final accuracy (the fewest units among ties)."""
        top = max(self.acc)
        return min((k for k, a in enumerate(self.acc) if a == top), key=lambda k: self.units[k])

    @property
    def best_runs(self) -> list[int]:
        """Indices of every run with the highest final accuracy (ties), fewest units first."""
        top = max(self.acc)
        return sorted((k for k, a in enumerate(self.acc) if a == top), key=lambda k: self.units[k])

    def best_text(self) -> str:
        """``"5 units"``, or ``"3 and 5 units"`` when runs tie for the best accuracy."""
        ks = self.best_runs
        if len(ks) == 1:
            return _units(self.units[ks[0]])
        return f"{_unit_list(self, ks)} units"

    def group(self, name: str) -> list[int]:
        """Indices of the runs in group ``name`` of :data:`GROUPS`, in the sweep's order."""
        _, lo, hi = next(g for g in GROUPS if g[0] == name)
        return [k for k, u in enumerate(self.units) if u >= lo and (hi is None or u <= hi)]

    @property
    def group_beats(self) -> tuple[str, ...]:
        """The beats of :data:`GROUPS` the sweep has runs for, in order (the others are left out)."""
        return tuple(name for name, _, _ in GROUPS if self.group(name))

    @property
    def late_is_faster(self) -> bool:
        """The ``late`` beat passes iterations clearly faster than the ``early`` one (:func:`passes_faster`)."""
        return passes_faster(self.T, self.milestone, self.early_seconds, self.late_seconds)


def read_sweep(name: str = SWEEP) -> list[History]:
    """The sweep's histories, in its order; on bad input one line on stderr and exit code 2.

    Every variation must vary ``model.hidden_units`` and have a history (none may have diverged).
    """
    try:
        entries: list[SweepEntry] = load_sweep(name)
    except NNCoreError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    runs = []
    for e in entries:
        if e.history is None:
            print(
                f"error: sweep {name!r}: {e.label} diverged at iteration {e.diverged_at}; this segment needs a "
                "history for every hidden-layer size (lower its learning rate in media_config/sweeps.toml)",
                file=sys.stderr,
            )
            raise SystemExit(2)
        runs.append(e.history)
    drawn = [e.label for e, h in zip(entries, runs, strict=True) if not separable_tanh(h.config)]
    if drawn:
        print(
            f"error: sweep {name!r}: {', '.join(drawn)} is not one hidden tanh layer on x1, x2, which this segment "
            'draws; pin model.activation = "tanh" and data.features = ["x1", "x2"] in its overrides '
            "(media_config/sweeps.toml)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    units = [h.hidden_units for h in runs]
    if len(set(units)) != len(units) or not 2 <= len(units) <= MAX_RUNS:
        print(
            f"error: sweep {name!r} must vary model.hidden_units over 2 to {MAX_RUNS} different values "
            f"(got hidden units {units})",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return runs


def separable_tanh(cfg: TrainConfig) -> bool:
    """One hidden tanh layer on ``x1, x2``: the network this segment's pictures draw."""
    return len(cfg.layers) == 1 and cfg.activation == "tanh" and cfg.features == ("x1", "x2")


def shared_extent(runs: Sequence[History]) -> Extent:
    """One window of input space for every panel: the union of the runs' data, square."""
    X = np.concatenate([h.X for h in runs], axis=1)  # (2, sum m)
    return data_extent(X, aspect=1.0)


def clock_schedule(runs: Sequence[History], frame_rate: float | None = None) -> np.ndarray:
    """The iterations the training beats show: one per frame of :data:`TRAIN_SECONDS`, denser early.

    The pace follows the mean cost of the longest runs (where the boundaries change most).
    """
    fps = float(frame_rate or config.frame_rate)
    T = max(h.iterations for h in runs)
    mean_cost = np.mean([np.asarray(h.cost, dtype=float) for h in runs if h.iterations == T], axis=0)  # (T+1,)
    return sample_iterations(T, int(round(TRAIN_SECONDS * fps)) + 1, mean_cost)


def held_mean_cost(runs: Sequence[History], T: int) -> np.ndarray:
    """The runs' mean cost at each iteration ``0..T``, shape ``(T+1,)``; a shorter run is held at its last cost."""
    it = np.arange(T + 1)
    return np.mean([np.asarray(h.cost, dtype=float)[np.minimum(it, h.iterations)] for h in runs], axis=0)


def boundary_length(history: History, extent: Extent, iteration: int | None = None, grid: int = LENGTH_GRID) -> float:
    """Length of the decision boundary (``A2 = 0.5``) inside ``extent``, in input-space units.

    Marching squares on a raster of ``grid`` pixels across: in every cell of four neighbouring
    pixel centres, the logit's sign changes along the cell's sides are located by linear
    interpolation and joined by straight segments (a cell with four crossings, a saddle, joins
    them in two pairs, as drawing programs do).
    """
    i = history.iterations if iteration is None else int(iteration)
    rows = max(round(grid / extent.aspect), 2)
    field = BoundaryField(history, grid, rows, extent, point_radius_px=0)
    z = field.logits(history.params(i))  # (rows, grid), row 0 at the top
    xs, ys = field.xs, field.ys

    def crossings(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where ``z`` changes sign between values ``a`` and ``b``: a mask and the fraction from a."""
        hit = (a > 0) != (b > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(hit, a / (a - b), 0.0)
        return hit, t

    tl, tr, bl, br = z[:-1, :-1], z[:-1, 1:], z[1:, :-1], z[1:, 1:]  # (rows-1, grid-1) each
    x0, x1 = xs[None, :-1], xs[None, 1:]
    y0, y1 = ys[:-1, None], ys[1:, None]
    sides = []  # (hit, x, y) of the crossing on each side of every cell
    for a, b, xa, ya, xb, yb in (
        (tl, tr, x0, y0, x1, y0),  # top
        (tr, br, x1, y0, x1, y1),  # right
        (br, bl, x1, y1, x0, y1),  # bottom
        (bl, tl, x0, y1, x0, y0),  # left
    ):
        hit, t = crossings(a, b)
        sides.append((hit, xa + t * (xb - xa), ya + t * (yb - ya)))
    hits = sum(h.astype(int) for h, _, _ in sides)
    total = 0.0
    two = hits == 2
    pts = [(np.where(h & two, x, np.nan), np.where(h & two, y, np.nan)) for h, x, y in sides]
    px = np.stack([p[0] for p in pts])  # (4, rows-1, grid-1), NaN where no crossing
    py = np.stack([p[1] for p in pts])
    order = np.argsort(np.isnan(px), axis=0, kind="stable")[:2]  # the two sides crossed
    ax, bx = np.take_along_axis(px, order, 0)
    ay, by = np.take_along_axis(py, order, 0)
    total += float(np.nansum(np.hypot(ax - bx, ay - by)[two]))
    four = np.asarray(hits == 4)
    if four.any():
        (_, xt, yt), (_, xr, yr), (_, xb, yb), (_, xl, yl) = sides
        total += float((np.hypot(xt - xl, yt - yl) + np.hypot(xb - xr, yb - yr))[four].sum())
    return total


def course_accuracy(history: History) -> float | None:
    """The accuracy the course printed for this run, if it is the course's run exactly, else ``None``.

    The course's run: the flower data (seed 1, 400 points), initialisation seed 2, learning rate
    1.2, 5000 iterations, and one of the course's hidden-layer sizes.
    """
    c = history.config
    if c.points == DEFAULT_POINTS[c.dataset]:  # the data set's own number of points, written out
        c = dataclasses.replace(c, points=None)
    course = TrainConfig(
        dataset="flower",
        data_seed=1,
        points=None,
        hidden_units=c.hidden_units,
        learning_rate=1.2,
        iterations=5000,
        init_seed=2,
    )
    if c != course or c.hidden_units not in COURSE_ACCURACY:
        return None
    return COURSE_ACCURACY[c.hidden_units]


def sweep_numbers(
    runs: Sequence[History], schedule: np.ndarray | None = None, extent: Extent | None = None
) -> SweepNumbers:
    """Read every number of the segment from the runs (``schedule``: default :func:`clock_schedule`)."""
    sched = clock_schedule(runs) if schedule is None else np.asarray(schedule)
    ext = shared_extent(runs) if extent is None else extent
    mi = milestone_iteration(sched, held_mean_cost(runs, int(sched[-1])), MILESTONE_DROP)
    t_early = early_seconds(sched, mi, TRAIN_SECONDS, MIN_CLOCK_SECONDS)
    rates = {float(h.config.learning_rate) for h in runs}
    its = tuple(h.iterations for h in runs)
    published = [course_accuracy(h) for h in runs]
    return SweepNumbers(
        units=tuple(h.hidden_units for h in runs),
        T=int(sched[-1]),
        iterations=its,
        m=runs[0].m,
        dataset=runs[0].config.dataset,
        learning_rate=float(runs[0].config.learning_rate),
        same_rate=len(rates) == 1,
        same_iterations=len(set(its)) == 1,
        acc0=tuple(float(h.accuracy[0]) for h in runs),
        milestone=mi,
        acc_m=tuple(float(h.accuracy[min(mi, h.iterations)]) for h in runs),
        early_seconds=t_early,
        late_seconds=TRAIN_SECONDS - t_early,
        every_iteration=len(sched) == int(sched[-1]) + 1,
        acc=tuple(float(h.accuracy[-1]) for h in runs),
        cost=tuple(float(h.cost[-1]) for h in runs),
        length=tuple(boundary_length(h, ext) for h in runs),
        course=None if None in published else tuple(published),  # type: ignore[arg-type]
        unit=step_word(runs[0].config),
        training=training_sentence(runs[0].config),
        lecture=not_the_lecture(runs[0].config, lecture_config(), widths=False),
    )


# --- the narration ---------------------------------------------------------------------------------


def _units(u: int) -> str:
    return f"{u} unit" if u == 1 else f"{u} units"


def _unit_list(n: SweepNumbers, ks: Sequence[int]) -> str:
    """The hidden sizes of runs ``ks`` as a sentence lists them (``1, 2 and 3``)."""
    return spoken_list([str(n.units[k]) for k in ks])


def _points(a: float, b: float) -> str:
    """The difference of two accuracies (fractions) in percentage points, as said."""
    d = round(abs(a - b) * 100, 2)
    return f"{d:g} point" if d == 1 else f"{d:g} points"


def _per_run(n: SweepNumbers, ks: Sequence[int], values: Sequence[float], text: object = caption_percent) -> str:
    """``"1 unit 67.5%, 2 units 67.25%"`` for runs ``ks``."""
    return ", ".join(f"{_units(n.units[k])} {text(values[k])}" for k in ks)  # type: ignore[operator]


def _few(n: SweepNumbers, ks: list[int]) -> str:
    b = n.best
    accs = spoken_list([caption_percent(n.acc[k]) for k in ks])
    sizes = _unit_list(n, ks)
    text = f"With {sizes} hidden unit{'s' if len(ks) > 1 or n.units[ks[0]] != 1 else ''} the accuracy is {accs}"
    top = max(n.acc[k] for k in ks)
    if b in ks:
        text += f": the best of all {len(n.units)} runs."
    elif (n.acc[b] - top) * 100 > UNDERFIT_POINTS:
        text += f", at least {_points(n.acc[b], top)} below the best: too few units, so the network underfits."
    else:
        text += f", within {_points(n.acc[b], top)} of the best ({caption_percent(n.acc[b])})."
    if n.units[ks[0]] == 1:
        text += " One tanh unit can only draw a straight boundary."
    return text


def _enough(n: SweepNumbers, ks: list[int]) -> str:
    b = n.best
    text = f"With {_unit_list(n, ks)} units: {spoken_list([caption_percent(n.acc[k]) for k in ks])}."
    low = min(n.acc[k] for k in ks)
    if b in ks:
        text += f" The best of all {len(n.units)} runs: {n.best_text()}, {caption_percent(n.acc[b])}."
        if (n.acc[b] - low) * 100 <= ENOUGH_POINTS:
            text += f" All {len(ks)} are within {_points(n.acc[b], low)} of it: a few units are enough here."
    elif (n.acc[b] - low) * 100 <= ENOUGH_POINTS:
        text += (
            f" All within {_points(n.acc[b], low)} of the best, {n.best_text()} with "
            f"{caption_percent(n.acc[b])}: a few units are enough here."
        )
    else:
        text += f" The best: {n.best_text()}, {caption_percent(n.acc[b])}."
    return text


def _more(n: SweepNumbers, ks: list[int]) -> str:
    smaller = [k for k in range(len(n.units)) if k not in ks and n.units[k] < min(n.units[j] for j in ks)]
    text = f"With {_unit_list(n, ks)} units: {spoken_list([caption_percent(n.acc[k]) for k in ks])}"
    if not smaller:
        return text + "."
    s_best = max(smaller, key=lambda k: (n.acc[k], -n.units[k]))
    top = max(n.acc[k] for k in ks)
    ref = f"{_units(n.units[s_best])}' {caption_percent(n.acc[s_best])}"
    if top < n.acc[s_best]:
        text += f", below {ref}: more units buy no accuracy."
    elif top == n.acc[s_best]:
        text += f", at best equal to {ref}: more units buy no accuracy."
    else:
        text += f", up to {_points(top, n.acc[s_best])} above {ref}."
    s_cost = min(n.cost[k] for k in smaller)
    lower = all(n.cost[k] < s_cost for k in ks)
    s_len = max(n.length[k] for k in smaller)
    longer = all(n.length[k] > s_len for k in ks)
    if lower:
        most = caption_number(max(n.cost[k] for k in ks), bound="up")
        text += f" Their cost is lower, at most {most} against {caption_number(s_cost, bound='down')} at best"
        text += ", and their boundaries" if longer else ": a more confident fit."
    elif longer:
        text += " Their boundaries are"
    if longer:
        ratio = min(n.length[k] for k in ks) / s_len
        text += f" at least {caption_number(ratio, bound='down')} times as long."
    return text


def _clock_captions(n: SweepNumbers) -> dict[str, str]:
    """The ``setup``, ``early`` and ``late`` beats: what the runs share, then where the clock gets them."""
    k = len(n.units)
    sizes = spoken_list([str(u) for u in n.units]) if k <= LISTED else f"from {min(n.units)} to {max(n.units)}"
    rate = f"learning rate {caption_setting(n.learning_rate)}" if n.same_rate else "each with its own learning rate"
    its = f"{n.T} {n.unit}s each" if n.same_iterations else f"up to {n.T} {n.unit}s"
    if n.late_is_faster:
        pace = "The clock slows down where the pictures change most"
    elif n.every_iteration:
        pace = f"Every {n.unit} gets its own frames"
    else:
        pace = "The clock runs"
    lo_m, hi_m = min(n.acc_m), max(n.acc_m)
    early_acc = (
        f"every run is at {caption_percent(lo_m)}"
        if lo_m == hi_m
        else f"the accuracies run from {caption_percent(lo_m)} to {caption_percent(hi_m)}"
    )
    late_open = (
        f"The remaining {count(n.T - n.milestone, n.unit)} pass faster."
        if n.late_is_faster
        else f"Then the remaining {count(n.T - n.milestone, n.unit)}."
    )
    lowest = [j for j in range(k) if n.acc[j] == min(n.acc)]
    if len(lowest) == k:
        final = f"every run is at {caption_percent(n.acc[0])}"
    else:
        worst = _units(n.units[lowest[0]]) if len(lowest) == 1 else f"{_unit_list(n, lowest)} units"
        final = (
            f"the accuracies run from {caption_percent(n.acc[lowest[0]])} ({worst}) to "
            f"{caption_percent(n.acc[n.best])} ({n.best_text()})"
        )
    return {
        "setup": (
            f"{k} runs that differ only in the hidden layer's size: {sizes} units. The same {n.m} points, "
            f"{rate}, {its}; above each picture, its training accuracy."
            + "".join(f" {extra}" for extra in (n.training, n.lecture) if extra)
        ),
        "early": f"{pace}: by {n.unit} {n.milestone} {early_acc}.",
        "late": f"{late_open} After {n.T}, {final}.",
    }


def _table_caption(n: SweepNumbers) -> str:
    """The ``table`` beat: the best run, and the course's own numbers beside the runs' (the table shows them all)."""
    k = len(n.units)
    best = (
        "They are all the same."
        if len(n.best_runs) == k
        else f"The best is {n.best_text()} with {caption_percent(n.acc[n.best])}."
    )
    text = f"The table lists all {k} accuracies. {best}"
    if n.course is None:
        return text
    same = [j for j in range(k) if round(n.course[j], 6) == round(n.acc[j], 6)]
    other = [j for j in range(k) if j not in same]
    if same:
        text += f" The course printed the same for {_unit_list(n, same)} units"
        text += "." if not other else ", and "
    else:
        text += " The course printed "
    if other:
        text += spoken_list([f"{caption_percent(n.course[j])} for {n.units[j]}" for j in other])
        ours = spoken_list([caption_percent(n.acc[j]) for j in other])
        text += f", where ours {'is' if len(other) == 1 else 'are'} {ours}: rounding differences grow."
    return text


_GROUP_CAPTIONS: dict[str, Callable[[SweepNumbers, list[int]], str]] = {"few": _few, "enough": _enough, "more": _more}
"""The caption of each group's beat (:data:`GROUPS`), given the numbers and the group's runs."""


def captions(n: SweepNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Beats of groups (:data:`GROUPS`) the sweep has no run in are left out (:attr:`SweepNumbers.group_beats`).
    """
    out = _clock_captions(n)
    for name in n.group_beats:
        out[name] = _GROUP_CAPTIONS[name](n, n.group(name))
    out["table"] = _table_caption(n)
    return out


# --- the scene ---------------------------------------------------------------------------------


def _unit_tex(u: int) -> str:
    return rf"n_h = {u}"


def _unit_label(u: int) -> MathTex:
    return MathTex(_unit_tex(u), font_size=LABEL_SIZE, color=TEXT)


class HiddenSizes(Narrated, RasterScene):
    """The sweep's decision boundaries side by side on one clock, then the table of accuracies.

    Attributes
    ----------
    runs : list of History
        The sweep's runs, in its order.
    numbers : SweepNumbers
        Every number and claim of the segment; the captions and the beats read the same ones.
    captions : dict of str to str
        Each beat's caption.
    extent : Extent
        The window of input space every picture shows.
    clock : IterationClock
        Drives the pictures, their accuracies and the iteration through :func:`clock_schedule`.
    panels : list of BoundaryPanel
        Each run's picture, in the sweep's order.
    accuracies : list of HistoryNumber
        Each run's training accuracy, above its picture.
    cells : list of Group
        Each run's picture with its ``n_h`` label and accuracy (the group beats frame them).
    iteration_number : HistoryNumber
        The clock's iteration, in the slot after the last run.
    marks : list of SurroundingRectangle
        The frames round the runs of the group being talked about.
    """

    def construct(self) -> None:
        """Play the beats in order."""
        self.runs = read_sweep()
        self.extent = shared_extent(self.runs)
        schedule = clock_schedule(self.runs)
        self.numbers = sweep_numbers(self.runs, schedule, self.extent)
        self.captions = captions(self.numbers)
        self.clock = IterationClock(schedule)
        self.setup_beat()
        self.training_beat("early", self.numbers.milestone, self.numbers.early_seconds)
        self.training_beat("late", self.numbers.T, self.numbers.late_seconds)
        self.marks: list[SurroundingRectangle] = []
        for name in self.numbers.group_beats:
            self.group_beat(name)
        self.table_beat()

    # --- the runs side by side ------------------------------------------------------------------

    def _slots(self, top: float) -> tuple[list[np.ndarray], float]:
        """Centres of the grid's pictures below ``top`` (one per run, then the clock's slot) and their side."""
        rows = math.ceil((len(self.runs) + 1) / COLUMNS)
        bottom = -config.frame_height / 2 + 0.25
        label_h, row_gap, col_gap = 0.45, 0.3, 0.8
        side = min(2.6, (top - bottom - rows * label_h - (rows - 1) * row_gap) / rows)
        pitch_x = side + col_gap
        x0 = -(COLUMNS * side + (COLUMNS - 1) * col_gap) / 2 + side / 2
        centres = []
        for j in range(len(self.runs) + 1):
            r, c = divmod(j, COLUMNS)
            centres.append(np.array([x0 + c * pitch_x, top - r * (side + label_h + row_gap) - label_h - side / 2, 0.0]))
        return centres, side

    def _run_cells(self, centres: Sequence[np.ndarray], side: float) -> None:
        """Each run's picture at its centre, its ``n_h`` above on the left and its accuracy on the right."""
        self.panels: list[BoundaryPanel] = []
        self.accuracies: list[HistoryNumber] = []
        self.cells: list[Group] = []
        prefetch([_unit_tex(h.hidden_units) for h in self.runs])  # one LaTeX run for every label
        for h, centre in zip(self.runs, centres[: len(self.runs)], strict=True):
            panel = BoundaryPanel(h, side, extent=self.extent, point_radius=0.028, line_width=0.022)
            panel.move_to(centre)
            label = _unit_label(h.hidden_units)
            label.move_to(panel.get_corner(UP + LEFT) + 0.05 * RIGHT + 0.08 * UP, aligned_edge=DOWN + LEFT)
            acc = HistoryNumber(h, "accuracy", font_size=LABEL_SIZE, color=HIGHLIGHT, align="right")
            acc.set_anchor(panel.get_corner(UP + RIGHT) + 0.05 * LEFT + 0.1 * UP)
            self.panels.append(panel)
            self.accuracies.append(acc)
            self.cells.append(Group(panel, label, acc))

    def _clock_slot(self, slot: np.ndarray, side: float) -> list[Mobject]:
        """The clock's iteration and the pictures' keys in the slot after the last run."""
        name = MathTex(rf"\text{{{self.numbers.unit}}}", font_size=LABEL_SIZE + 2, color=MUTED)
        name.move_to(slot + (side / 2 - 0.1) * UP, aligned_edge=UP)
        longest = self.runs[int(np.argmax(self.numbers.iterations))]
        self.iteration_number = HistoryNumber(longest, "iteration", font_size=40, align="right")
        self.iteration_number.set_anchor([slot[0] + 0.6, name.get_bottom()[1] - 0.75, 0])
        keys = _keys()
        keys.move_to((slot[0], slot[1] - side / 2 + 0.1, 0), aligned_edge=DOWN)
        keys.shift((slot[0] - keys.get_center()[0]) * RIGHT)
        return [VGroup(name, self.iteration_number), keys]

    def setup_beat(self) -> None:
        """The runs at iteration 0, each with its size and accuracy, and the clock's iteration."""
        heading = Text("More or fewer hidden units", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        centres, side = self._slots(heading.get_bottom()[1] - 0.25)
        self._run_cells(centres, side)
        clock_slot = self._clock_slot(centres[len(self.runs)], side)
        with self.beat("setup", self.captions["setup"]):
            self.play(reveal(self, heading, *self.cells, *clock_slot, run_time=1.5))

    def training_beat(self, name: str, until: int, seconds: float) -> None:
        """Beat ``name``: the clock runs to iteration ``until`` in ``seconds``, every run following it."""
        # with a voice, both clock runs scaled by one factor to fit their lines (their pace ratio, "faster", kept)
        runs = {"early": self.numbers.early_seconds, "late": self.numbers.late_seconds}
        scale = self.fit_to_speech({b: (self.captions[b], s) for b, s in runs.items()})
        with self.beat(name, self.captions[name]):
            with self.clock.driving(self, *self.panels, *self.accuracies, self.iteration_number):
                self.play(self.clock.advance_to(until, run_time=seconds * scale))

    def group_beat(self, name: str) -> None:
        """Frame the runs of group ``name`` of :data:`GROUPS` (the previous group's frames go)."""
        new = [SurroundingRectangle(self.cells[j], color=HIGHLIGHT, buff=0.08) for j in self.numbers.group(name)]
        with self.beat(name, self.captions[name]):
            self.play(*[Create(m) for m in new], *[FadeOut(m) for m in self.marks], run_time=1.0)
        self.marks = new

    # --- the table ----------------------------------------------------------------------------------

    def table_beat(self) -> None:
        """The final boundaries over the table of accuracies, costs and lengths, and the bars."""
        with self.beat("table", self.captions["table"]):
            fade_to_black(self, run_time=0.8)
            self.play(reveal(self, *self._table(), run_time=1.5))

    def _table_cells(self, h: History, j: int) -> list[tuple[str, ParsableManimColor]]:
        """The TeX and colour of run ``j``'s column of the table, top to bottom."""
        n = self.numbers
        cells: list[tuple[str, ParsableManimColor]] = [
            (str(h.hidden_units), TEXT),
            (_tex_percent(n.acc[j]), HIGHLIGHT if j in n.best_runs else TEXT),
        ]
        if n.course is not None:
            cells.append((_tex_percent(n.course[j]), MUTED))
        cells.append((cost_text(n.cost[j]), MUTED))
        cells.append((f"{n.length[j]:.1f}", MUTED))
        return cells

    def _table(self) -> list[Mobject]:
        """The final boundaries as column heads over the table of accuracies and costs, and bars."""
        runs, n, extent = self.runs, self.numbers, self.extent
        k = len(runs)
        heading = Text(f"After {count(n.T, n.unit)}", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        rows = [
            (r"\text{hidden units}", MUTED),
            (r"\text{accuracy}", HIGHLIGHT),
            *([(r"\text{course's notebook}", MUTED)] if n.course is not None else []),
            (r"\text{final cost}", MUTED),
            (r"\text{boundary length}", MUTED),
        ]
        texs = [text for j, h in enumerate(runs) for text, _ in self._table_cells(h, j)]
        prefetch([t for t, _ in rows] + texs)  # every cell of the table in one LaTeX run
        names = VGroup(*[MathTex(t, font_size=LABEL_SIZE, color=c) for t, c in rows])
        name_w = max(m.width for m in names) + 0.3
        pitch = min(1.65, (config.frame_width - 0.7 - name_w) / k)
        left = -(name_w + k * pitch) / 2  # centred (a full table spans the frame)
        side = min(1.4, pitch - 0.2)
        x_first = left + name_w + pitch / 2
        y_pics = heading.get_bottom()[1] - 0.3 - side / 2
        row_y = [y_pics - side / 2 - 0.4 - 0.56 * j for j in range(len(rows))]
        for m, y in zip(names, row_y, strict=True):
            m.move_to((left, y, 0), aligned_edge=LEFT)
        pics, cols = Group(), VGroup()
        best = VGroup()
        for j, h in enumerate(runs):
            x = x_first + j * pitch
            pic = BoundaryPanel(
                h,
                side,
                extent=extent,
                iteration=h.iterations,
                point_radius=0.018,
                line_width=0.018,
                misclassified=False,
            )
            pic.move_to((x, y_pics, 0))
            pics.add(pic)
            is_best = j in n.best_runs
            cells = self._table_cells(h, j)
            for (text, c), y in zip(cells, row_y, strict=True):
                cols.add(MathTex(text, font_size=LABEL_SIZE, color=c).move_to((x, y, 0)))
            if is_best:
                best.add(SurroundingRectangle(cols[-len(cells) + 1], color=HIGHLIGHT, buff=0.1, stroke_width=2.5))
        rule_y = (row_y[0] + row_y[1]) / 2
        right = x_first + (k - 0.5) * pitch
        rule = Line((left, rule_y, 0), (right, rule_y, 0), color=MUTED, stroke_width=1.5)
        bars = _accuracy_bars(n, x_first, pitch, top=row_y[-1] - 0.55, bottom=-config.frame_height / 2 + 0.35)
        return [heading, pics, names, cols, rule, *best, bars]


def _tex_percent(fraction: float) -> str:
    return percent_text(fraction).replace("%", r"\%")


def _keys() -> VGroup:
    """What the pictures' marks mean: the accuracy's colour, the rings, the 0.5 line."""
    size = LABEL_SIZE - 4
    acc = MathTex(r"\text{training accuracy}", font_size=size, color=HIGHLIGHT)
    ring = Circle(radius=0.07, color=HIGHLIGHT, stroke_width=2.5)
    ring_label = MathTex(r"\text{misclassified}", font_size=size, color=MUTED).next_to(ring, RIGHT, buff=0.12)
    line = Line(ORIGIN, 0.3 * RIGHT, color=TEXT, stroke_width=2.5)
    line_label = MathTex(r"\hat{y} = 0.5", font_size=size, color=MUTED).next_to(line, RIGHT, buff=0.12)
    return VGroup(acc, VGroup(ring, ring_label), VGroup(line, line_label)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)


def _accuracy_bars(n: SweepNumbers, x_first: float, pitch: float, top: float, bottom: float) -> VGroup:
    """One bar per run, its final accuracy on a 0-100 % scale, under its column; the best in yellow."""
    height = top - bottom
    left = x_first - pitch / 2
    right = x_first + (len(n.units) - 0.5) * pitch
    grid = VGroup()
    for v in (0.0, 0.5, 1.0):
        y = bottom + v * height
        grid.add(Line((left, y, 0), (right, y, 0), color=MUTED, stroke_width=2.0 if v == 0 else 1.0))
        label = MathTex(f"{round(100 * v)}" + r"\%", font_size=LABEL_SIZE - 4, color=MUTED)
        grid.add(label.next_to((left, y, 0), LEFT, buff=0.15))
    bars = VGroup()
    for j, a in enumerate(n.acc):
        color = HIGHLIGHT if j in n.best_runs else MUTED
        bar = Rectangle(width=0.55 * pitch, height=max(a * height, 1e-3), stroke_width=0, fill_color=color)
        bar.set_fill(color, opacity=0.85)
        bar.move_to((x_first + j * pitch, bottom, 0), aligned_edge=DOWN)
        bars.add(bar)
    return VGroup(grid, bars)


__all__ = [
    "COURSE_ACCURACY",
    "HiddenSizes",
    "SweepNumbers",
    "boundary_length",
    "captions",
    "course_accuracy",
    "read_sweep",
    "sweep_numbers",
]
