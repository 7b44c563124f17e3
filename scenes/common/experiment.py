"""The course's experiments, run side by side: ``scenes/initialization.py`` and ``scenes/optimizers.py`` use it.

An experiment chapter shows one sweep whose runs differ in one setting (the first weights, the
optimiser), the way the course's notebooks compare them:

- :class:`SideBySide` — a scene with the runs' cards down the left (boundary, accuracies, cost),
  their cost curves top right, the iteration counter by the heading, and the band under them
  free for the chapter's own picture; one clock trains them all (:meth:`SideBySide.train_all`),
  and :meth:`SideBySide.printed_rows` puts what the course's notebook printed under each card.
- :func:`iteration_readout` — the counter by a heading (the data-set chapter uses it too).
- :func:`varied_problem`, :func:`checked_runs` — a chapter's check of the sweeps it reads (that they
  vary the key it is about), run by the build on the declared sweeps before any render
  (each chapter module's ``sweep_problem``) and by the scene on the trained runs.

Every number shown is read from the histories; what the notebook printed comes from
:mod:`nncore.course` and is shown only beside the notebook's own runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from manim import DOWN, LEFT, RIGHT, UP, Circumscribe, ManimColor, MathTex, Mobject, Text, VGroup, config

from nncore import History, TrainConfig
from nncore.paths import DEFAULT_SWEEPS, SWEEPS_ENV
from nncore.sweep import SweepEntry
from scenes.common.clock import ClockView, IterationClock
from scenes.common.comparison import RUN_COLORS, comparison_schedule, load_runs, plane_extent
from scenes.common.curves import CostCurves
from scenes.common.narration import Narrated
from scenes.common.numbers import HistoryNumber
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.common.panels import RunCard, arrange_cards
from scenes.common.raster import RasterScene

HEADING_SIZE = 36

CARDS_WIDTH = 7.9
"""The width the cards share, from the left edge; the cost curves take the rest of the top."""


def iteration_readout(histories: Sequence[History | None], unit: str, heading: Mobject) -> list[Mobject]:
    """Right of ``heading``, ``unit`` and the iteration a clock shows (of the longest run): ``[name, counter]``.

    The counter (the last item) must join the clock's views; no run with a history: ``[]``.
    """
    longest = max((h for h in histories if h is not None), key=lambda h: h.iterations, default=None)
    if longest is None:
        return []
    name = MathTex(rf"\text{{{unit}}}", font_size=28, color=MUTED)
    counter = HistoryNumber(longest, "iteration", 0, font_size=28, align="right", color=TEXT)
    name.move_to((4.6, heading.get_center()[1], 0), aligned_edge=LEFT)
    counter.set_anchor([6.6, name.get_bottom()[1]])
    return [name, counter]


class VariedRun(Protocol):
    """What a sweep's check reads of a run: a declared variation (``nncore.sweeps_file.Variation``) or an entry."""

    @property
    def value(self) -> object:
        """The varied key's value."""
        ...

    @property
    def config(self) -> TrainConfig:
        """The run's whole config."""
        ...


SweepProblem = Callable[[Mapping[str, Sequence[VariedRun]]], "str | None"]
"""A chapter's check of the sweeps it reads (by name, their runs): what it cannot draw, or ``None``."""


def varied_problem(name: str, key: str, runs: Sequence[VariedRun], most: int) -> str | None:
    """What keeps sweep ``name`` from varying ``key`` (``<table>.<key>``) over 1 to ``most`` values, or ``None``.

    The build calls it on the declared variations before any render; the scene on its trained runs.
    """
    attr = key.split(".")[-1]
    values = [str(r.value) for r in runs]
    varies = values == [str(getattr(r.config, attr)) for r in runs]
    if varies and len(set(values)) == len(values) and 1 <= len(values) <= most:
        return None
    return f"sweep {name!r} must vary {key} over 1 to {most} different values (its values: {', '.join(values)})"


def checked_runs(names: Sequence[str], problem: SweepProblem) -> dict[str, list[SweepEntry]]:
    """The entries of the sweeps ``names`` (trained first if missing), checked by the chapter's ``problem``.

    A problem is one line on stderr, naming the sweeps file and the command that trains the sweeps,
    and exit code 2; a missing or malformed sweep is :func:`~scenes.common.comparison.load_runs`'s
    error.
    """
    runs = {name: load_runs(name) for name in names}
    message = problem(runs)
    if message is not None:
        where = os.environ.get(SWEEPS_ENV) or DEFAULT_SWEEPS
        command = "python -m nncore sweep " + " ".join(f"--sweep {name}" for name in names)
        print(f"error: {where}: {message}; `{command}` trains it", file=sys.stderr)
        raise SystemExit(2)
    return runs


class SideBySide(Narrated, RasterScene):
    """A sweep's runs side by side: cards down the left, cost curves top right, one training clock.

    Attributes
    ----------
    histories : list of History or None
        One per run, in the sweep's order (``None``: the run diverged).
    colors : list of ManimColor
        One per run: its card's title, its curve and anything else of it.
    cards : list of RunCard
        One per run, in the sweep's order.
    curves : CostCurves
        Every run's cost (or what :meth:`layout_runs` chose) on one log iteration axis.
    clock_views : list of ClockView
        What the training clock drives: the cards, the curves and the counter.
    """

    def layout_runs(
        self,
        heading: str,
        subtitle: str,
        histories: Sequence[History | None],
        titles: Sequence[str],
        *,
        unit: str,
        y_max: float,
        rows: Sequence[str] = ("accuracy", "cost"),
        diverged_at: Sequence[int | None] | None = None,
        series: str = "cost",
        y_min: float = 0.0,
        y_step: float | None = None,
    ) -> list[Mobject]:
        r"""Build the heading, the cards, the curves and the counter (at iteration 0); return what to reveal.

        Parameters
        ----------
        heading : str
            The chapter's title.
        subtitle : str
            TeX of the line under it (``\text{...}``); scaled down to the frame if it is wider.
        histories : sequence of History or None
        titles : sequence of str
            Each card's title (TeX), in the runs' order.
        unit : str
            What the clock counts ("iteration", "epoch").
        y_max : float
            The cost axis' top.
        rows : sequence of str
            The cards' numbers (:class:`~scenes.common.panels.RunCard`).
        diverged_at : sequence of int or None, optional
            Where each run without a history diverged.
        series, y_min, y_step : str, float, float
            What the curves draw, the bottom of their axis and its step (:class:`~scenes.common.curves.CostCurves`:
            the cost by default).
        """
        self.histories = list(histories)
        self.colors: list[ManimColor] = [RUN_COLORS[j % len(RUN_COLORS)] for j in range(len(self.histories))]
        title = Text(heading, font_size=HEADING_SIZE, color=TEXT)
        title.to_corner(UP + LEFT, buff=0.3)
        line = MathTex(subtitle, font_size=24, color=MUTED)
        line.next_to(title, DOWN, buff=0.2).align_to(title, LEFT)
        if line.width > 13.4:
            line.scale_to_fit_width(13.4)
        finished = next((h for h in self.histories if h is not None), None)
        extent = plane_extent(finished) if finished is not None else None
        panels = len(self.histories)
        size = min(2.3, (CARDS_WIDTH - 0.3 * (panels - 1)) / panels)
        gone = list(diverged_at) if diverged_at is not None else [None] * panels
        self.cards = [
            RunCard(
                tex,
                h,
                size,
                extent=extent,
                iteration=0,
                diverged_at=at,
                font_size=22,
                point_radius=0.03,
                title_color=color,
                rows=rows,
            )
            for tex, h, color, at in zip(titles, self.histories, self.colors, gone, strict=True)
        ]
        row = arrange_cards(self.cards, CARDS_WIDTH, 2.6)
        row.shift((-6.75 - row.get_left()[0]) * RIGHT)
        self.curves = CostCurves(
            self.histories,
            self.colors,
            width=4.0,
            height=2.2,
            y_max=y_max,
            y_min=y_min,
            y_step=y_step,
            font_size=20,
            series=series,
        )
        # right-aligned: the last tick's label (the run's length) may reach past the axis
        self.curves.move_to((6.9, self.cards[0].body.get_top()[1] - 0.35, 0), aligned_edge=UP + RIGHT)
        self.clock_views: list[ClockView] = [v for c in self.cards for v in c.views()]
        self.clock_views.append(self.curves)
        readout = iteration_readout(self.histories, unit, title)
        if readout:
            self.clock_views.append(readout[-1])  # type: ignore[arg-type]  # a HistoryNumber follows the clock
        return [title, line, row, self.curves, *readout]

    def train_all(self, beat: str, caption: str, T: int, seconds: float) -> None:
        """Beat ``beat``: every card, curve and the counter on one clock from iteration 0 to ``T``."""
        schedule = comparison_schedule(self.histories, int(round(seconds * config.frame_rate)) + 1)
        clock = IterationClock(schedule)
        scale = self.fit_to_speech({beat: (caption, seconds)})  # 1 without a voice
        with self.beat(beat, caption):
            with clock.driving(self, *self.clock_views):
                self.play(clock.advance_to(T, run_time=seconds * scale))

    def circle(self, mobjects: Sequence[Mobject], buff: float = 0.05) -> None:
        """Circle ``mobjects``, all at once (nothing to circle: nothing played)."""
        if mobjects:
            self.play(*[Circumscribe(m, color=HIGHLIGHT, buff=buff, run_time=1.5) for m in mobjects])

    def printed_rows(self, printed: Sequence[Sequence[float] | None]) -> VGroup:
        """Under each card with a printed result, a row "notebook" and the accuracies it printed (percent).

        ``printed``: per run, the notebook's accuracies (training, then test if it has one), or ``None``.
        """
        rows = VGroup()
        for card, values in zip(self.cards, printed, strict=True):
            if values is None:
                continue
            text = r",\ ".join(f"{100 * v:.2f}".rstrip("0").rstrip(".") + r"\%" for v in values)
            name = MathTex(r"\text{notebook}", font_size=20, color=MUTED)
            name.next_to(card.numbers, DOWN, buff=0.15).align_to(card.body, LEFT)
            value = MathTex(text, font_size=20, color=MUTED)
            value.next_to(name, RIGHT).align_to(card.body, RIGHT).align_to(name, DOWN)
            rows.add(VGroup(name, value))
        return rows


__all__ = [
    "CARDS_WIDTH",
    "SideBySide",
    "SweepProblem",
    "VariedRun",
    "checked_runs",
    "iteration_readout",
    "varied_problem",
]
