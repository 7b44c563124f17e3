"""``manim render scenes/datasets.py Datasets``: the same network on the course's other data sets.

Optional segment *Other data sets* of the lecture (``-ql`` for a quick 480p preview). It reads the
sweep ``datasets`` of ``media_config/sweeps.toml`` (``$NN_SWEEPS``, ``$NN_SWEEP_DIR`` to read
another; missing runs are trained first): one network, one set of training settings, one run per
data set. Each data set's boundary is drawn in its own window of the input plane. Beats:

1. ``sets`` — the data sets, before training;
2. ``training`` — every boundary evolving on one iteration clock, with its accuracy and cost;
3. ``success`` — where one hidden layer of a few units classifies (nearly) every point;
4. ``struggle`` — where it does not: the points left on the wrong side, and whether the cost
   has stopped falling;
5. ``verdict`` — the final accuracies side by side.

:func:`dataset_numbers` reads every number from the sweep and :func:`captions` narrates them; both
are free of Manim state so ``tests/test_scene_datasets.py`` can check them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from manim import DOWN, LEFT, UP, Circumscribe, MathTex, Text, config

from nncore.sweep import SweepEntry
from scenes.common.clock import IterationClock
from scenes.common.comparison import comparison_schedule, load_runs
from scenes.common.field import data_extent
from scenes.common.format import cost_text, dataset_name, percent_text, spoken_list
from scenes.common.narration import Narrated
from scenes.common.numbers import HistoryNumber
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.common.panels import RunCard, arrange_cards
from scenes.common.raster import RasterScene, reveal

SWEEP = "datasets"
TRAIN_SECONDS = 28.0
"""Screen time of the clock running through every run, iteration 0 to T."""

SUCCESS = 0.95
"""A data set counts as learnt when the final training accuracy is at least this."""

PLATEAU = 0.05
"""The narration describes a struggling run's second half (its cost did not fall, or fell only from
... to ...) when its cost fell by less than this fraction of its half-way value."""

HEADING_SIZE = 36


@dataclass(frozen=True)
class DatasetRun:
    """One data set's run, as the segment narrates it.

    Attributes
    ----------
    name : str
        The data set as spoken (``gaussian quantiles``).
    diverged_at : int or None
        Where the cost stopped being finite (no history then; numbers NaN).
    T, m : int
        Iterations and training points.
    acc0, accT, cost_half, costT : float
        Accuracy before training and at the end; cost half-way and at the end.
    wrongT : int
        Points on the wrong side at the end.
    """

    name: str
    diverged_at: int | None
    T: int
    m: int
    acc0: float
    accT: float
    cost_half: float
    costT: float
    wrongT: int

    @property
    def learnt(self) -> bool:
        """The final accuracy reaches :data:`SUCCESS`."""
        return self.diverged_at is None and self.accT >= SUCCESS

    @property
    def stalled(self) -> bool:
        """Over the second half of the run the cost fell by less than :data:`PLATEAU` of its half-way value."""
        return self.diverged_at is None and (self.cost_half - self.costT) < PLATEAU * self.cost_half


@dataclass(frozen=True)
class DatasetNumbers:
    """Every number the segment says or shows in text.

    Attributes
    ----------
    runs : tuple of DatasetRun
        In the sweep's order.
    n_h : int
    learning_rate : float
    T : int
        The longest run.
    """

    runs: tuple[DatasetRun, ...]
    n_h: int
    learning_rate: float
    T: int


def dataset_run(entry: SweepEntry) -> DatasetRun:
    """Read one run's numbers from its sweep entry."""
    name = dataset_name(str(entry.value))
    h = entry.history
    if h is None:
        nan = float("nan")
        return DatasetRun(name, entry.diverged_at, int(entry.config.iterations), 0, nan, nan, nan, nan, 0)
    T = h.iterations
    return DatasetRun(
        name=name,
        diverged_at=None,
        T=T,
        m=h.m,
        acc0=float(h.accuracy[0]),
        accT=float(h.accuracy[T]),
        cost_half=float(h.cost[T // 2]),
        costT=float(h.cost[T]),
        wrongT=int(round((1.0 - float(h.accuracy[T])) * h.m)),
    )


def dataset_numbers(entries: Sequence[SweepEntry]) -> DatasetNumbers:
    """Read every number of the segment from the sweep's entries (in the sweep's order)."""
    if not entries:
        raise ValueError("the data-set sweep has no variations")
    runs = tuple(dataset_run(e) for e in entries)
    cfg = entries[0].config
    return DatasetNumbers(
        runs=runs, n_h=int(cfg.hidden_units), learning_rate=float(cfg.learning_rate), T=max(r.T for r in runs)
    )


def _points(k: int) -> str:
    return "1 point" if k == 1 else f"{k} points"


def captions(n: DatasetNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    "Succeeds" and "struggles" follow :data:`SUCCESS`; the second half of a struggling run is described only for
    runs whose cost fell by less than :data:`PLATEAU` over the second half, and said as what it is
    ("did not fall", "fell only from ... to ..."); a diverged run is said to have diverged.
    """
    runs = n.runs
    done = [r for r in runs if r.diverged_at is None]
    sizes = sorted({r.m for r in done})
    if len(sizes) == 1:
        size_text = f"{sizes[0]} points each"
    else:
        size_text = "with " + spoken_list([f"{r.m} ({r.name})" for r in done]) + " points"
    out: dict[str, str] = {}
    out["sets"] = (
        f"The same network, {n.n_h} hidden units trained with learning rate {n.learning_rate:g}, on the course's "
        f"other data sets: {spoken_list([r.name for r in runs])}, {size_text}, two classes. Each panel shows its own "
        "window of the input plane."
    )
    starts = spoken_list([f"{r.name} {percent_text(r.acc0)}" for r in done])
    diverged = " ".join(
        f"On {r.name} training diverged at iteration {r.diverged_at}." for r in runs if r.diverged_at is not None
    )
    out["training"] = (
        f"All of them train on one clock for {n.T} iterations. Before training the accuracies are {starts}."
        + (f" {diverged}" if diverged else "")
    )
    good = [r for r in done if r.learnt]
    bad = [r for r in done if not r.learnt]
    threshold = percent_text(SUCCESS).replace(".00", "")
    if good:
        detail = spoken_list(
            [
                f"{r.name} {percent_text(r.accT)} ("
                + ("every point right" if r.wrongT == 0 else f"{_points(r.wrongT)} wrong")
                + ")"
                for r in good
            ]
        )
        out["success"] = (
            f"Where one hidden layer of {n.n_h} units succeeds, at least {threshold} right: {detail}. "
            f"{n.n_h} tanh steps, added up, bend one boundary between the two classes."
        )
    else:
        out["success"] = f"None of these data sets reaches {threshold} with {n.n_h} hidden units in {n.T} iterations."
    if bad:
        parts = []
        for r in bad:
            text = f"{r.name} ends at {percent_text(r.accT)}, {_points(r.wrongT)} on the wrong side"
            if r.stalled and r.costT >= r.cost_half:
                text += (
                    f"; in the second half of the run its cost did not fall ({cost_text(r.cost_half)} half-way, "
                    f"{cost_text(r.costT)} at the end)"
                )
            elif r.stalled:
                text += (
                    f"; in the second half of the run its cost fell only from {cost_text(r.cost_half)} to "
                    f"{cost_text(r.costT)}"
                )
            parts.append(text)
        out["struggle"] = (
            f"Where it struggles, below {threshold}: {'; '.join(parts)}. The rings mark the points it gets wrong."
        )
    else:
        out["struggle"] = f"No data set here stays below {threshold}: every one is learnt."
    if done:
        hi = max(r.accT for r in done)
        lo = min(r.accT for r in done)
        best = spoken_list([r.name for r in done if r.accT == hi])
        worst = spoken_list([r.name for r in done if r.accT == lo])
        finals = spoken_list([f"{r.name} {percent_text(r.accT)}" for r in done])
        spread = (
            f"From {percent_text(hi)} on {best} to {percent_text(lo)} on {worst}"
            if hi > lo
            else f"{percent_text(hi)} on every one"
        )
        out["verdict"] = (
            f"Final accuracies: {finals}. {spread}: the same network and settings; only the shape of the data differs."
        )
    else:
        out["verdict"] = diverged or "No run finished."
    return out


class Datasets(Narrated, RasterScene):
    """The network on several data sets: their boundaries on one clock, where it succeeds and where it struggles."""

    def construct(self) -> None:
        """Build and play every beat."""
        entries = load_runs(SWEEP)
        n = dataset_numbers(entries)
        cap = captions(n)
        histories = [e.history for e in entries]

        heading = Text("Other data sets", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        subtitle = MathTex(
            rf"\text{{{n.n_h} hidden units, learning rate {n.learning_rate:g}}}", font_size=26, color=MUTED
        )
        subtitle.next_to(heading, DOWN, buff=0.2).align_to(heading, LEFT)

        count = len(entries)
        size = min(3.0, (13.4 - 0.35 * (count - 1)) / count)
        cards = [
            RunCard(
                rf"\text{{{r.name}}}",
                h,
                size,
                extent=data_extent(h.X, aspect=1.0) if h is not None else None,
                iteration=0,
                diverged_at=r.diverged_at,
                font_size=26,
                point_radius=0.035,
            )
            for r, h in zip(n.runs, histories, strict=True)
        ]
        row = arrange_cards(cards, 13.4, 1.6)

        longest = max((h for h in histories if h is not None), key=lambda h: h.iterations, default=None)
        clock_views: list[object] = [v for c in cards for v in c.views()]
        readout = []
        if longest is not None:
            name = MathTex(r"\text{iteration}", font_size=28, color=MUTED)
            counter = HistoryNumber(longest, "iteration", 0, font_size=28, align="right", color=TEXT)
            name.move_to([4.6, heading.get_center()[1], 0], aligned_edge=LEFT)
            counter.set_anchor([6.6, name.get_bottom()[1]])
            readout = [name, counter]
            clock_views.append(counter)

        schedule = comparison_schedule(histories, int(round(TRAIN_SECONDS * config.frame_rate)) + 1)
        clock = IterationClock(schedule)

        with self.beat("sets", cap["sets"]):
            self.play(reveal(self, heading, subtitle, row, *readout, run_time=1.5))

        with self.beat("training", cap["training"]):
            with clock.driving(self, *clock_views):
                self.play(clock.advance_to(n.T, run_time=TRAIN_SECONDS))

        good = [j for j, r in enumerate(n.runs) if r.learnt]
        bad = [j for j, r in enumerate(n.runs) if r.diverged_at is None and not r.learnt]
        with self.beat("success", cap["success"]):
            if good:
                self.play(*[Circumscribe(cards[j].body, color=HIGHLIGHT, buff=0.05, run_time=1.5) for j in good])

        with self.beat("struggle", cap["struggle"]):
            if bad:
                self.play(*[Circumscribe(cards[j].body, color=HIGHLIGHT, buff=0.05, run_time=1.5) for j in bad])

        with self.beat("verdict", cap["verdict"]):
            numbers = [c.accuracy for c in cards if c.accuracy is not None]
            if numbers:
                self.play(*[Circumscribe(num, color=HIGHLIGHT, buff=0.06, run_time=1.5) for num in numbers])


__all__ = ["DatasetNumbers", "DatasetRun", "Datasets", "captions", "dataset_numbers", "dataset_run"]
