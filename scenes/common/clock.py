"""One clock that drives every view of a run: which iterations get screen time, and who follows.

``python -c "from scenes.common.clock import sample_iterations"``; used by ``scenes/decision_boundary.py``
and the comparison segments.

- :func:`sample_iterations` — which iterations get a frame (log spaced, blended with how fast the
  cost falls, so the early, dramatic changes are not over in a blink).
- :func:`milestone_iteration`, :func:`early_seconds`, :func:`passes_faster` — where a run's
  screen time splits into an ``early`` beat (the cost falls) and a ``late`` one (the rest, faster),
  and whether the late one really is faster (a caption says so only then).
- :class:`ClockView` — what a view must offer to follow the clock.
- :class:`IterationClock` — one position along such a schedule, animated; views follow it inside
  :meth:`IterationClock.driving`, which also records, in a narrated scene, the iteration shown at
  each moment (series ``"clock"`` of the scene record: ``[seconds, iteration]`` pairs).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, cast, runtime_checkable

import numpy as np
from manim import Animation, Mobject, Scene, ValueTracker, linear

from scenes.common.narration import Narrated


def sample_iterations(T: int, n: int, cost: np.ndarray | None = None, mix: float = 0.5) -> np.ndarray:
    """Choose which iterations to show, at most ``n`` of ``0..T``: 0 and ``T`` always, denser early.

    Screen time is spread evenly over a "progress" measure ``F`` from 0 to 1: the log of the
    iteration (each decade gets the same time), blended with the fraction of the total cost
    decrease achieved so far (the iterations where the boundary forms get more time).

    Parameters
    ----------
    T : int
        Last iteration.
    n : int
        Number of frames available; the result has at most ``n`` (and at most ``T + 1``) entries.
    cost : ndarray, shape (T+1,), optional
        The cost of each iteration; without it the spacing is purely logarithmic.
    mix : float
        Weight of the cost-decrease measure (0: log spacing only).

    Returns
    -------
    ndarray of int64
        Strictly increasing, starting at 0 and ending at ``T``.

    Notes
    -----
    Where samples are more than one iteration apart they keep the parity of ``T``. A large
    learning rate can leave training in a period-2 oscillation (the lecture's default run
    alternates between two states from iteration 7858 on); sampling both parities would make the
    picture and the accuracy flicker at the frame rate between the two states.
    """
    T, n = int(T), int(n)
    if T < 0 or n < 2:
        raise ValueError(f"need T >= 0 and n >= 2, got T={T}, n={n}")
    if T == 0:
        return np.zeros(1, dtype=np.int64)
    it = np.arange(T + 1)
    progress = np.log1p(it) / math.log1p(T)  # (T+1,)
    if cost is not None and mix > 0:
        c = np.asarray(cost, dtype=float)
        best = np.minimum.accumulate(np.where(np.isfinite(c), c, np.inf))
        drop = best[0] - best[-1]
        if np.isfinite(drop) and drop > 0:
            progress = (1 - mix) * progress + mix * (best[0] - best) / drop
    targets = np.linspace(0.0, 1.0, n)
    picks = np.searchsorted(progress, targets, side="left")
    picks = np.unique(np.clip(picks, 0, T))
    gaps = np.diff(picks, prepend=-1)
    sparse = gaps >= 2
    picks[sparse] -= (picks[sparse] - T) % 2
    picks = np.unique(np.concatenate([[0], picks, [T]]))
    return picks.astype(np.int64)


def milestone_iteration(schedule: np.ndarray, cost: np.ndarray, drop: float) -> int:
    """The first scheduled iteration at which ``cost`` has made ``drop`` of its decrease over the schedule.

    Where an ``early`` beat (the cost falls, the picture changes most) hands over to a ``late`` one.

    Parameters
    ----------
    schedule : ndarray of int
        The clock's schedule (:func:`sample_iterations`), increasing from 0 to ``T``.
    cost : ndarray, shape (T+1,)
        The cost of each iteration (one run's, or a mean over several runs).
    drop : float
        Fraction of the total decrease (between the schedule's first and last cost).

    Returns
    -------
    int
        A scheduled iteration: the middle of the schedule when the cost does not decrease (a
        diverging run), and never 0 or ``T`` when the schedule has anything in between.
    """
    c = np.asarray(cost, dtype=float)[schedule]  # (len(schedule),)
    best = np.minimum.accumulate(np.where(np.isfinite(c), c, np.inf))
    total = best[0] - best[-1]
    if np.isfinite(total) and total > 0:
        k = int(np.argmax(best <= best[0] - drop * total))
    else:
        k = len(schedule) // 2
    k = int(np.clip(k, 1, max(len(schedule) - 2, 1)))
    return int(schedule[min(k, len(schedule) - 1)])


def early_seconds(schedule: np.ndarray, milestone: int, total_seconds: float, min_seconds: float) -> float:
    """Screen time of iterations ``0..milestone``: their share of the schedule's frames, clipped.

    Parameters
    ----------
    schedule : ndarray of int
        The clock's schedule.
    milestone : int
        Where the early beat ends (:func:`milestone_iteration`).
    total_seconds : float
        Screen time of the whole schedule; the late beat gets ``total_seconds`` minus the result.
    min_seconds : float
        Neither beat gets less than this.
    """
    k_m = int(np.searchsorted(schedule, milestone, side="right") - 1)
    share = k_m / max(len(schedule) - 1, 1)
    return float(np.clip(total_seconds * share, min_seconds, total_seconds - min_seconds))


def passes_faster(T: int, milestone: int, early: float, late: float, factor: float = 1.5) -> bool:
    """Whether the late beat passes iterations more than ``factor`` times as fast as the early one.

    ``early`` seconds show iterations ``0..milestone``, ``late`` seconds ``milestone..T``; a caption
    says "faster" only when this holds.
    """
    early_pace = milestone / max(early, 1e-9)
    late_pace = (T - milestone) / max(late, 1e-9)
    return late_pace > factor * early_pace


@runtime_checkable
class ClockView(Protocol):
    """A mobject that shows one iteration of a run and can be told to show another.

    Attributes
    ----------
    iteration : int or None
        The iteration shown now (``None`` when it shows something else).
    """

    iteration: int | None

    def set_iteration(self, iteration: int) -> object:
        """Show ``iteration`` (beyond the run, its last one); cheap when it is already shown."""
        ...

    def moving_parts(self) -> list[Mobject]:
        """The submobjects that change with the iteration (the rest of the view stays still)."""
        ...


class IterationClock:
    """One clock that every view follows: a position along a schedule of iterations.

    Parameters
    ----------
    schedule : ndarray of int
        Increasing iterations (from :func:`sample_iterations`); the clock shows one per frame.

    Examples
    --------
    ::

        clock = IterationClock(sample_iterations(h.iterations, frames, h.cost))
        with clock.driving(panel, readout, diagram, curve):
            self.play(clock.advance_to(h.iterations, run_time=30))
    """

    def __init__(self, schedule: Sequence[int] | np.ndarray) -> None:
        self.schedule = np.asarray(schedule, dtype=np.int64)
        if self.schedule.ndim != 1 or self.schedule.size == 0 or np.any(np.diff(self.schedule) <= 0):
            raise ValueError("an iteration schedule must be a non-empty, strictly increasing 1-D sequence")
        self.tracker = ValueTracker(0.0)

    @property
    def position(self) -> float:
        """Index into the schedule (fractional while animating)."""
        return float(self.tracker.get_value())

    @property
    def iteration(self) -> int:
        """The iteration shown now."""
        k = int(np.clip(round(self.position), 0, self.schedule.size - 1))
        return int(self.schedule[k])

    def index_of(self, iteration: int) -> int:
        """Index of the last scheduled iteration ``<= iteration``."""
        return int(np.clip(np.searchsorted(self.schedule, iteration, side="right") - 1, 0, self.schedule.size - 1))

    def steps_between(self, start: int, stop: int) -> int:
        """How many schedule steps lie between two iterations (for run times in proportion)."""
        return abs(self.index_of(stop) - self.index_of(start))

    def set_iteration(self, iteration: int) -> IterationClock:
        """Jump to ``iteration`` (its schedule entry) without animating."""
        self.tracker.set_value(self.index_of(iteration))
        return self

    def advance_to(self, iteration: int, **kwargs: Any) -> Animation:
        """An animation running the clock to ``iteration`` at an even pace through the schedule."""
        kwargs.setdefault("rate_func", linear)
        return self.tracker.animate(**kwargs).set_value(self.index_of(iteration))  # type: ignore[operator, return-value]  # manim's .animate(**options) builder

    @contextmanager
    def driving(self, scene: Scene, *views: ClockView | tuple[Mobject, Sequence[Mobject]]) -> Iterator[IterationClock]:
        """Make ``views`` follow the clock while inside the block.

        Parameters
        ----------
        scene : Scene
            The scene the views are in.
        *views : ClockView or (Mobject, list of Mobject)
            A :class:`ClockView`, or any mobject with ``set_iteration(i)`` and an ``iteration``
            attribute paired with its parts that change (e.g. a network diagram and its edges).

        Notes
        -----
        Manim redraws every frame the first mobject that changes *and everything after it* in
        the scene's list; a group that holds both labels and a changing curve counts as
        changing. So inside the block the scene's list is re-stacked: groups holding changing
        parts are opened, everything static keeps its order in front, and only the changing
        parts come last (drawn on top). On exit the updaters are removed (later waits stay
        static frames), the views keep the last iteration shown, and the scene's list is
        restored. Do not add or remove the driven views inside the block.

        In a :class:`~scenes.common.narration.Narrated` scene, every change of the iteration shown
        is recorded as ``[seconds, iteration]`` in the scene record's series ``"clock"``.
        """
        pairs = _with_parts(views)
        shown: list[int | None] = [None]

        def record(i: int) -> None:
            if isinstance(scene, Narrated) and shown[0] != i:
                scene.record_series("clock", [round(float(scene.time), 6), i])
                shown[0] = i

        def follower(view: Mobject, first: bool) -> Callable[[Mobject], None]:
            def follow(_: Mobject) -> None:
                i = self.iteration
                if first:
                    record(i)
                if getattr(view, "iteration", None) != i:
                    view.set_iteration(i)

            return follow

        saved = list(scene.mobjects)
        moving = [p for _, parts in pairs for p in parts]
        restacked = _static_first(saved, moving)
        scene.mobjects = restacked
        attached: list[tuple[Mobject, Callable[[Mobject], None]]] = []
        record(self.iteration)
        for k, (view, parts) in enumerate(pairs):
            view.set_iteration(self.iteration)
            follow = follower(view, k == 0)
            for part in parts:
                part.add_updater(follow)
                attached.append((part, follow))
        try:
            yield self
        finally:
            for part, follow in attached:
                part.remove_updater(follow)
            for view, _ in pairs:
                if getattr(view, "iteration", None) != self.iteration:
                    view.set_iteration(self.iteration)
            now = list(scene.mobjects)
            removed = [m for m in restacked if m not in now]
            added = [m for m in now if m not in restacked]
            scene.mobjects = [m for m in saved if m not in removed] + added


def _with_parts(views: Sequence[ClockView | tuple[Mobject, Sequence[Mobject]]]) -> list[tuple[Mobject, list[Mobject]]]:
    """Each view with the parts of it that change: its own ``moving_parts()``, or the ones given with it."""
    pairs: list[tuple[Mobject, list[Mobject]]] = []
    for v in views:
        if isinstance(v, tuple):
            pairs.append((v[0], list(v[1])))
        elif isinstance(v, ClockView):
            pairs.append((cast(Mobject, v), list(v.moving_parts())))  # a view is a mobject
        else:
            raise TypeError(f"{type(v).__name__} is not a ClockView; pass (view, moving parts) instead")
    return pairs


def _static_first(mobjects: Sequence[Mobject], moving: Sequence[Mobject]) -> list[Mobject]:
    """The scene list with groups holding ``moving`` parts opened and those parts moved last."""
    moving_ids = {id(m) for m in moving}
    out: list[Mobject] = []

    def visit(m: Mobject) -> None:
        if id(m) in moving_ids:
            return
        family = m.get_family()
        if not any(id(f) in moving_ids for f in family):
            out.append(m)
        elif len(m.points) > 0:
            out.append(m)  # has its own points: keep it (correct, merely redrawn)
        else:
            for sub in m.submobjects:
                visit(sub)

    for m in mobjects:
        visit(m)
    in_scene = {id(f) for m in mobjects for f in m.get_family()}
    return out + [m for m in moving if id(m) in in_scene]
