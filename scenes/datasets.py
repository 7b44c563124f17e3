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

:func:`dataset_numbers` reads every number from the sweep, and every claim (learnt, struggling,
stalled, diverged) is a property of :class:`DatasetRun` or :class:`DatasetNumbers`; :func:`captions`
narrates them and the scene's beats mark the runs the same properties name. Both are free of Manim
state so ``tests/test_scene_datasets.py`` can check them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from manim import DOWN, LEFT, UP, Circumscribe, MathTex, Text, config

from nncore import History
from nncore.sweep import SweepEntry
from scenes.common.clock import ClockView, IterationClock
from scenes.common.comparison import (
    RunSelection,
    comparison_schedule,
    lecture_config,
    load_runs,
    not_the_lecture,
    plane_extent,
)
from scenes.common.experiment import iteration_readout
from scenes.common.format import caption_percent, caption_setting, count, dataset_name, percent_text, spoken_list
from scenes.common.model_text import step_word, training_sentence, units_words
from scenes.common.narration import Narrated
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

SUCCESS_TEXT = percent_text(SUCCESS).replace(".00", "")
"""The threshold as said (``95%``)."""

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
    def diverged(self) -> bool:
        """Training stopped because the cost was no longer finite."""
        return self.diverged_at is not None

    @property
    def learnt(self) -> bool:
        """The final accuracy reaches :data:`SUCCESS`."""
        return not self.diverged and self.accT >= SUCCESS

    @property
    def struggles(self) -> bool:
        """The run finished below :data:`SUCCESS`."""
        return not self.diverged and not self.learnt

    @property
    def stalled(self) -> bool:
        """Over the second half of the run the cost fell by less than :data:`PLATEAU` of its half-way value."""
        return not self.diverged and (self.cost_half - self.costT) < PLATEAU * self.cost_half

    @property
    def flat(self) -> bool:
        """Stalled, and the cost did not fall at all over the second half (it ends at or above its half-way value)."""
        return self.stalled and self.costT >= self.cost_half

    @property
    def wrong_text(self) -> str:
        """The points on the wrong side at the end, counted (``1 point``, ``12 points``)."""
        return "1 point" if self.wrongT == 1 else f"{self.wrongT} points"


@dataclass(frozen=True)
class DatasetNumbers(RunSelection[DatasetRun]):
    """Every number the segment says or shows in text, and which runs its claims are about.

    The claims are properties giving run indices (in the sweep's order, as the cards are), so
    that the caption and the picture name the same runs.

    Attributes
    ----------
    runs : tuple of DatasetRun
        In the sweep's order.
    n_h : int
    learning_rate : float
    T : int
        The longest run.
    unit : str
        What the runs count: "iteration", or "epoch" for runs on mini-batches.
    network : str
        The network in words (:func:`~scenes.common.model_text.units_words`: "4 hidden units").
    training : str
        A sentence saying how the runs learn, empty for full-batch gradient descent.
    lecture : str
        A sentence saying the runs are not the lecture's network, when they are not.
    tanh_layer : bool
        The runs are one hidden tanh layer (its units are steps that add up).
    """

    runs: tuple[DatasetRun, ...]
    n_h: int
    learning_rate: float
    T: int
    unit: str = "iteration"
    network: str = ""
    training: str = ""
    lecture: str = ""
    tanh_layer: bool = True

    @property
    def learnt(self) -> tuple[int, ...]:
        """The data sets learnt (:attr:`DatasetRun.learnt`)."""
        return tuple(j for j, r in enumerate(self.runs) if r.learnt)

    @property
    def struggling(self) -> tuple[int, ...]:
        """The data sets that finished below :data:`SUCCESS`."""
        return tuple(j for j, r in enumerate(self.runs) if r.struggles)

    @property
    def size(self) -> int | None:
        """The training points of every finished run, when they all have as many (``None`` otherwise)."""
        sizes = {r.m for r in self.pick(self.finished)}
        return sizes.pop() if len(sizes) == 1 else None

    @property
    def best_accuracy(self) -> float | None:
        """The highest final accuracy of a finished run."""
        return max((r.accT for r in self.pick(self.finished)), default=None)

    @property
    def worst_accuracy(self) -> float | None:
        """The lowest final accuracy of a finished run."""
        return min((r.accT for r in self.pick(self.finished)), default=None)


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
        runs=runs,
        n_h=int(cfg.hidden_units),
        learning_rate=float(cfg.learning_rate),
        T=max(r.T for r in runs),
        unit=step_word(cfg),
        network=units_words(cfg),
        training=training_sentence(cfg),
        lecture=not_the_lecture(cfg, lecture_config()),
        tanh_layer=len(cfg.layers) == 1 and cfg.activation == "tanh",
    )


# --- the narration, one helper per beat -----------------------------------------------------------


def _sets_caption(n: DatasetNumbers) -> str:
    done = n.pick(n.finished)
    if n.size is not None:
        size_text = f"{n.size} points each"
    else:
        size_text = "with " + spoken_list([f"{r.m} ({r.name})" for r in done]) + " points"
    return (
        f"The same network, {n.network or count(n.n_h, 'hidden unit')}, learning rate "
        f"{caption_setting(n.learning_rate)}, on the course's "
        f"other data sets: {spoken_list([r.name for r in n.runs])}, {size_text}. "
        + "".join(f"{extra} " for extra in (n.training, n.lecture) if extra)
        + "Each panel has its own window."
    )


def _diverged_text(n: DatasetNumbers) -> str:
    return " ".join(f"On {r.name} training diverged at {n.unit} {r.diverged_at}." for r in n.pick(n.diverged))


def _training_caption(n: DatasetNumbers) -> str:
    done = n.pick(n.finished)
    diverged = _diverged_text(n)
    text = f"All of them train on one clock for {count(n.T, n.unit)}."
    if done:
        lo = min(done, key=lambda r: r.acc0)
        hi = max(done, key=lambda r: r.acc0)
        text += (
            f" Before training every accuracy is {caption_percent(lo.acc0)}."
            if lo.acc0 == hi.acc0
            else f" Before training the accuracies run from {caption_percent(lo.acc0)} ({lo.name}) to "
            f"{caption_percent(hi.acc0)} ({hi.name})."
        )
    return text + (f" {diverged}" if diverged else "")


def _success_caption(n: DatasetNumbers) -> str:
    if not n.learnt:
        units, its = n.network or count(n.n_h, "hidden unit"), count(n.T, n.unit)
        return f"None of these data sets reaches {SUCCESS_TEXT} with {units} in {its}."
    detail = spoken_list([f"{r.name} ({caption_percent(r.accT)})" for r in n.pick(n.learnt)])
    how = f"{n.n_h} tanh steps, added up, bend" if n.tanh_layer else "its units together bend"
    return f"It succeeds, with at least {SUCCESS_TEXT} right, on {detail}: {how} one boundary between the two classes."


DETAILED = 2
"""The struggle caption describes each struggling data set in full when there are at most this many."""


def _struggle_caption(n: DatasetNumbers) -> str:
    if not n.struggling:
        return f"No data set here stays below {SUCCESS_TEXT}: every one is learnt."
    runs = n.pick(n.struggling)
    if len(runs) <= DETAILED:
        parts = []
        for r in runs:
            text = f"{r.name} ends at {caption_percent(r.accT)}, {r.wrong_text} wrong (ringed)"
            if r.flat:
                text += ", its cost flat after half-way"
            elif r.stalled:
                text += ", its cost barely falling after half-way"
            parts.append(text)
        return f"It struggles, below {SUCCESS_TEXT}: {'; '.join(parts)}."
    names = spoken_list([f"{r.name} ({caption_percent(r.accT)})" for r in runs])
    text = f"It struggles, below {SUCCESS_TEXT}, on {names}."
    stalled = sum(r.stalled for r in runs)
    if stalled:
        who = "all of them" if stalled == len(runs) else f"{stalled} of them"
        text += f" For {who} the cost fell little or not at all after half-way."
    return text


def _verdict_caption(n: DatasetNumbers) -> str:
    hi, lo = n.best_accuracy, n.worst_accuracy
    if hi is None or lo is None:
        return _diverged_text(n) or "No run finished."
    done = n.pick(n.finished)
    best = spoken_list([r.name for r in done if r.accT == hi])
    worst = spoken_list([r.name for r in done if r.accT == lo])
    spread = (
        f"From {caption_percent(hi)} on {best} to {caption_percent(lo)} on {worst}"
        if hi > lo
        else f"{caption_percent(hi)} on every one"
    )
    return f"{spread}: the same network and settings; only the shape of the data differs."


def captions(n: DatasetNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    "Succeeds" and "struggles" follow :data:`SUCCESS`; the second half of a struggling run is described only for
    runs whose cost fell by less than :data:`PLATEAU` over the second half, and said as what it is
    ("flat", "barely falling"; with more than :data:`DETAILED` struggling runs, how many stalled); a
    diverged run is said to have diverged. Each claim is a property of :class:`DatasetRun` or
    :class:`DatasetNumbers`, which the beats read too. Written to be heard: accuracies as
    :func:`~scenes.common.format.caption_percent`, and the four or five data sets' numbers by their
    range or their best and worst (the cards show every one).
    """
    return {
        "sets": _sets_caption(n),
        "training": _training_caption(n),
        "success": _success_caption(n),
        "struggle": _struggle_caption(n),
        "verdict": _verdict_caption(n),
    }


class Datasets(Narrated, RasterScene):
    """The network on several data sets: their boundaries on one clock, where it succeeds and where it struggles.

    Attributes
    ----------
    numbers : DatasetNumbers
        Every number and claim of the segment; :attr:`captions` say them, the beats show them.
    captions : dict of str to str
        Each beat's caption.
    histories : list of History or None
        One per data set, in the sweep's order (``None``: the run diverged).
    cards : list of RunCard
        One per data set, in the sweep's order: its boundary, accuracy and cost.
    clock_views : list of ClockView
        What the training clock drives: every card's panel and numbers, and the iteration counter.
    """

    def construct(self) -> None:
        """Play the beats in order."""
        entries = load_runs(SWEEP)
        self.numbers = dataset_numbers(entries)
        self.captions = captions(self.numbers)
        self.histories: list[History | None] = [e.history for e in entries]
        self.sets_beat()
        self.training_beat()
        self.success_beat()
        self.struggle_beat()
        self.verdict_beat()

    def sets_beat(self) -> None:
        """The heading, one card per data set before training, and the iteration counter."""
        n = self.numbers
        heading = Text("Other data sets", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        subtitle = MathTex(
            rf"\text{{{count(n.n_h, 'hidden unit')}, learning rate {n.learning_rate:g}}}", font_size=26, color=MUTED
        )
        subtitle.next_to(heading, DOWN, buff=0.2).align_to(heading, LEFT)
        panels = len(n.runs)
        size = min(3.0, (13.4 - 0.35 * (panels - 1)) / panels)
        self.cards = [
            RunCard(
                rf"\text{{{r.name}}}",
                h,
                size,
                extent=plane_extent(h) if h is not None else None,
                iteration=0,
                diverged_at=r.diverged_at,
                font_size=26,
                point_radius=0.035,
            )
            for r, h in zip(n.runs, self.histories, strict=True)
        ]
        row = arrange_cards(self.cards, 13.4, 1.6)
        self.clock_views: list[ClockView] = [v for c in self.cards for v in c.views()]
        readout = iteration_readout(self.histories, self.numbers.unit, heading)
        self.clock_views.extend(readout[-1:])  # type: ignore[arg-type]  # the counter follows the clock
        with self.beat("sets", self.captions["sets"]):
            self.play(reveal(self, heading, subtitle, row, *readout, run_time=1.5))

    def training_beat(self) -> None:
        """Every boundary, accuracy and cost on one iteration clock."""
        schedule = comparison_schedule(self.histories, int(round(TRAIN_SECONDS * config.frame_rate)) + 1)
        clock = IterationClock(schedule)
        scale = self.fit_to_speech({"training": (self.captions["training"], TRAIN_SECONDS)})  # 1 without a voice
        with self.beat("training", self.captions["training"]):
            with clock.driving(self, *self.clock_views):
                self.play(clock.advance_to(self.numbers.T, run_time=TRAIN_SECONDS * scale))

    def _circle_panels(self, indices: Sequence[int]) -> None:
        """Circle the panels of the data sets at ``indices``, all at once."""
        if indices:
            self.play(*[Circumscribe(self.cards[j].body, color=HIGHLIGHT, buff=0.05, run_time=1.5) for j in indices])

    def success_beat(self) -> None:
        """The data sets learnt."""
        with self.beat("success", self.captions["success"]):
            self._circle_panels(self.numbers.learnt)

    def struggle_beat(self) -> None:
        """The data sets not learnt."""
        with self.beat("struggle", self.captions["struggle"]):
            self._circle_panels(self.numbers.struggling)

    def verdict_beat(self) -> None:
        """The final accuracies side by side."""
        with self.beat("verdict", self.captions["verdict"]):
            numbers = [c.accuracy for c in self.cards if c.accuracy is not None]
            if numbers:
                self.play(*[Circumscribe(num, color=HIGHLIGHT, buff=0.06, run_time=1.5) for num in numbers])


__all__ = ["DatasetNumbers", "DatasetRun", "Datasets", "captions", "dataset_numbers", "dataset_run"]
