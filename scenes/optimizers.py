"""``manim render scenes/optimizers.py Optimizers``: gradient descent, momentum and Adam on the same updates.

Segment *Optimisers* of the lecture (``-ql`` for a quick 480p preview), the course's "Optimization
Methods" notebook (Improving Deep Neural Networks, week 2). It reads the sweep ``optimizers`` of
``media_config/sweeps.toml`` (``$NN_SWEEPS``, ``$NN_SWEEP_DIR`` to read another; missing runs
are trained first): one network, one start, the same mini-batches, one run per optimiser. Beats:

1. ``runs`` — the runs before training and what each update does;
2. ``training`` — every boundary, accuracy and cost on one epoch clock;
3. ``paths`` — two first-layer weights (the largest and the smallest first gradient), their path
   under each optimiser over the same first updates, each in its own window;
4. ``steps`` — how far each optimiser moved them: in proportion to the gradient, or (Adam) each
   weight by a step of its own size;
5. ``verdict`` — the final accuracies side by side, and what the course's notebook printed.

:func:`optimizer_numbers` reads every number from the sweep, and every claim is a property of
:class:`OptimizerRun` or :class:`OptimizerNumbers`; :func:`captions` narrates them and the beats
mark the runs the same properties name. Both are free of Manim state so
``tests/test_scene_optimizers.py`` can check them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Dot, Line, ManimColor, MathTex, Mobject, Rectangle, VGroup, VMobject

from nncore import History
from nncore.course import OPTIMIZATION_ACCURACIES, notebook_optimizer
from nncore.sweep import SweepEntry
from scenes.common.clock import IterationClock
from scenes.common.comparison import RunSelection
from scenes.common.curves import cost_axis_top
from scenes.common.experiment import SideBySide, VariedRun, checked_runs, varied_problem
from scenes.common.field import clamp_iteration
from scenes.common.format import (
    caption_number,
    caption_percent,
    caption_setting,
    count,
    dataset_name,
    sentence_start,
    spoken_list,
    tex_number,
    train_test_text,
)
from scenes.common.model_text import OPTIMIZERS, step_word, units_words
from scenes.common.palette import MUTED
from scenes.common.raster import fade_to_black, reveal

SWEEP = "optimizers"
TRAIN_SECONDS = 20.0
"""Screen time of the clock running through every run, epoch 0 to the last."""

PATH_SECONDS = 8.0
"""Screen time of the weights' paths being drawn."""

PATH_EPOCHS = 20
"""The paths follow the first this many epochs (at most the run's)."""

MAX_RUNS = 5
"""The most runs the segment draws side by side."""

UPDATE_TEX: dict[str, str] = {
    "gd": r"W \leftarrow W - \alpha\, dW",
    "momentum": r"v \leftarrow \beta v + (1 - \beta)\, dW, \quad W \leftarrow W - \alpha\, v",
    "adam": r"W \leftarrow W - \alpha\, \frac{\hat m}{\sqrt{\hat s} + \varepsilon}",
}
"""Each optimiser's update as the course writes it (TeX); ``m`` and ``s`` are Adam's running averages of
``dW`` and ``dW^2``, the hats their bias corrections."""

TITLES: dict[str, str] = {"gd": r"\text{gradient descent}", "momentum": r"\text{momentum}", "adam": r"\text{Adam}"}
"""Each optimiser as a card's title (TeX)."""


def _update_words(optimizer: str, beta: float, beta1: float, beta2: float) -> str:
    """What one update of ``optimizer`` does, as the first caption says it."""
    if optimizer == "gd":
        return "gradient descent steps against the gradient"
    if optimizer == "momentum":
        return f"momentum steps along a running average of the gradients (beta {caption_setting(beta)})"
    return (
        f"Adam divides a running average of the gradients (beta1 {caption_setting(beta1)}) by the root of one of "
        f"their squares (beta2 {caption_setting(beta2)}), weight by weight"
    )


@dataclass(frozen=True)
class OptimizerRun:
    """One optimiser's run, as the segment narrates it.

    Attributes
    ----------
    optimizer : str
        The config's ``optimizer`` (``gd``, ``momentum``, ``adam``).
    diverged_at : int or None
        Where training stopped being finite (no history then; numbers NaN).
    T : int
        Epochs (iterations of full-batch training).
    cost0, costT, accT : float
        Cost before and after training; training accuracy after.
    test_accT : float
        Test accuracy after (NaN without a test set).
    moved : tuple of float
        How far each of the two weights moved over the paths' epochs (signed).
    printed : float or None
        The accuracy the course's notebook printed for this run, when it is the notebook's run.
    """

    optimizer: str
    diverged_at: int | None
    T: int
    cost0: float
    costT: float
    accT: float
    test_accT: float
    moved: tuple[float, float]
    printed: float | None

    @property
    def diverged(self) -> bool:
        """Training stopped because the numbers were no longer finite."""
        return self.diverged_at is not None

    @property
    def name(self) -> str:
        """The optimiser as a caption names it."""
        return OPTIMIZERS.get(self.optimizer, self.optimizer)

    @property
    def reproduces(self) -> bool:
        """The run ends at the accuracy the notebook printed (to 12 decimals)."""
        return self.printed is not None and not self.diverged and round(self.accT, 12) == round(self.printed, 12)

    @property
    def ratio(self) -> float:
        """How many times farther the first weight moved than the second (infinite if the second did not move)."""
        a, b = (abs(v) for v in self.moved)
        return a / b if b else float("inf")


@dataclass(frozen=True)
class OptimizerNumbers(RunSelection[OptimizerRun]):
    """Every number the segment says or shows in text, and which runs its claims are about.

    Attributes
    ----------
    runs : tuple of OptimizerRun
        In the sweep's order.
    T : int
        The longest run, in :attr:`unit`.
    unit : str
        "epoch" (mini-batches) or "iteration" (full batch).
    updates : int
        Updates of the longest run.
    batch_size : int or None
    learning_rate : float
    dataset : str
    m, m_test : int
    network : str
    updates_words : str
        What each optimiser's update does, in the sweep's order, as a list a caption says.
    weights : tuple of tuple of int
        The two weights the paths follow, ``(row, column)`` of the first layer's ``W`` (from 0).
    gradients : tuple of float
        Their gradient in the first update (every run's: the same start, the same first mini-batch).
    path_epochs : int
        The epochs the paths follow.
    path_updates : int
        The updates in them.
    y_max : float
        Top of the shared cost axes.
    """

    runs: tuple[OptimizerRun, ...]
    T: int
    unit: str
    updates: int
    batch_size: int | None
    learning_rate: float
    dataset: str
    m: int
    m_test: int
    network: str
    updates_words: str
    weights: tuple[tuple[int, int], tuple[int, int]]
    gradients: tuple[float, float]
    path_epochs: int
    path_updates: int
    y_max: float

    @property
    def best(self) -> tuple[int, ...]:
        """The finished runs with the highest final accuracy (the test set's when there is one)."""
        done = self.finished
        key = [self.runs[j].test_accT if self.m_test else self.runs[j].accT for j in done]
        return tuple(j for j, k in zip(done, key, strict=True) if k == max(key)) if done else ()

    @property
    def adam(self) -> tuple[int, ...]:
        """The finished Adam runs (their steps are sized weight by weight)."""
        return tuple(j for j in self.finished if self.runs[j].optimizer == "adam")

    @property
    def notebook(self) -> bool:
        """Every finished run is the notebook's (its printed accuracies belong on screen)."""
        done = self.pick(self.finished)
        return bool(done) and all(r.printed is not None for r in done)

    @property
    def gradient_ratio(self) -> float:
        """How many times larger the first weight's first gradient is than the second's."""
        a, b = (abs(g) for g in self.gradients)
        return a / b if b else float("inf")

    def weight_text(self, k: int) -> str:
        """Weight ``k`` (0 or 1) as a caption writes it: ``W1[3,1]`` (from 1)."""
        row, col = self.weights[k]
        return f"W1[{row + 1},{col + 1}]"

    def weight_tex(self, k: int) -> str:
        """Weight ``k`` in TeX: ``W^{[1]}_{3,1}``."""
        row, col = self.weights[k]
        return rf"W^{{[1]}}_{{{row + 1},{col + 1}}}"


def sweep_problem(sweeps: Mapping[str, Sequence[VariedRun]]) -> str | None:
    """What keeps the segment from drawing its sweep: it must vary ``train.optimizer`` (1 to :data:`MAX_RUNS` values).

    The build asks before any render (with the declared variations), :func:`read_runs` after training.
    """
    return varied_problem(SWEEP, "train.optimizer", sweeps[SWEEP], MAX_RUNS)


def read_runs() -> list[SweepEntry]:
    """The sweep's entries, in its order; on bad input (:func:`sweep_problem`) one line on stderr and exit code 2."""
    return checked_runs([SWEEP], sweep_problem)[SWEEP]


def chosen_weights(history: History) -> tuple[tuple[int, int], tuple[int, int]]:
    """The first layer's weights with the largest and the smallest nonzero gradient in the first update.

    With one nonzero gradient (or none), the second is the next weight in order.
    """
    g = np.abs(history.dW1[0])  # (n1, n_x)
    flat = g.ravel()
    a = int(np.argmax(flat))
    others = [k for k in np.argsort(flat, kind="stable") if k != a and flat[k] > 0]
    b = int(others[0]) if others else (a + 1) % flat.size
    cols = g.shape[1]
    return (a // cols, a % cols), (b // cols, b % cols)


def weight_path(history: History, weights: Sequence[tuple[int, int]], epochs: int) -> np.ndarray:
    """The two weights' change from their start at snapshots ``0..epochs``, shape ``(epochs + 1, 2)``."""
    W = history.W1[: epochs + 1]
    path = np.stack([W[:, r, c] for r, c in weights], axis=1)
    return np.asarray(path - path[0], dtype=float)


def optimizer_run(entry: SweepEntry, weights: Sequence[tuple[int, int]], epochs: int) -> OptimizerRun:
    """Read one run's numbers from its sweep entry."""
    opt = str(entry.config.optimizer)
    printed = OPTIMIZATION_ACCURACIES.get(opt) if notebook_optimizer(entry.config) else None
    h = entry.history
    if h is None:
        nan = float("nan")
        T = int(entry.config.iterations)
        return OptimizerRun(opt, entry.diverged_at, T, nan, nan, nan, nan, (nan, nan), printed)
    T = h.iterations
    test = h.more.get("test_accuracy")
    end = weight_path(h, weights, min(epochs, T))[-1]
    return OptimizerRun(
        optimizer=opt,
        diverged_at=None,
        T=T,
        cost0=float(h.cost[0]),
        costT=float(h.cost[T]),
        accT=float(h.accuracy[T]),
        test_accT=float(test[T]) if test is not None else float("nan"),
        moved=(float(end[0]), float(end[1])),
        printed=printed,
    )


def optimizer_numbers(entries: Sequence[SweepEntry]) -> OptimizerNumbers:
    """Read every number of the segment from the sweep's entries (in the sweep's order)."""
    done = [e.history for e in entries if e.history is not None]
    if not done:
        raise ValueError("the optimiser sweep has no finished run")
    first = done[0]
    weights = chosen_weights(first)
    epochs = min(PATH_EPOCHS, min(h.iterations for h in done))
    runs = tuple(optimizer_run(e, weights, epochs) for e in entries)
    cfg = first.config
    longest = max(done, key=lambda h: h.iterations)
    words = [_update_words(e.config.optimizer, e.config.beta, e.config.beta1, e.config.beta2) for e in entries]
    return OptimizerNumbers(
        runs=runs,
        T=longest.iterations,
        unit=step_word(cfg),
        updates=longest.updates,
        batch_size=cfg.batch_size,
        learning_rate=float(cfg.learning_rate),
        dataset=dataset_name(cfg.dataset),
        m=first.m,
        m_test=int(first.more["X_test"].shape[1]) if "X_test" in first.more else 0,
        network=units_words(cfg),
        updates_words="; ".join(words[:-1]) + f"; and {words[-1]}" if len(words) > 1 else words[0],
        weights=weights,
        gradients=(float(first.dW1[0][weights[0]]), float(first.dW1[0][weights[1]])),
        path_epochs=epochs,
        path_updates=epochs * first.batches_per_epoch,
        y_max=cost_axis_top(done),
    )


# --- the narration, one helper per beat -----------------------------------------------------------


def _runs_caption(n: OptimizerNumbers) -> str:
    batches = f" in mini-batches of {n.batch_size}" if n.batch_size is not None else ""
    test = f", with {n.m_test} held-out test points drawn as rings" if n.m_test else ""
    whose = "The course's" if n.notebook else "An"
    same = "the same mini-batches" if n.batch_size is not None else "the same data"
    return (
        f"{whose} optimisation experiment: {n.network}, on {n.m} {n.dataset} points{batches}{test}, "
        f"learning rate {caption_setting(n.learning_rate)}, for {count(n.T, n.unit)}. "
        f"The same start and {same}; only the update differs: {n.updates_words}."
    )


def _diverged_text(n: OptimizerNumbers) -> str:
    return " ".join(f"{sentence_start(r.name)} diverged at {n.unit} {r.diverged_at}." for r in n.pick(n.diverged))


def _training_caption(n: OptimizerNumbers) -> str:
    text = f"All of them train on one clock for {count(n.T, n.unit)}"
    text += f", {count(n.updates, 'update')}." if n.updates != n.T else "."
    done = n.pick(n.finished)
    if done:
        text += " Final costs: " + ", ".join(f"{r.name} {caption_number(r.costT)}" for r in done) + "."
    diverged = _diverged_text(n)
    return text + (f" {diverged}" if diverged else "")


def _paths_caption(n: OptimizerNumbers) -> str:
    a, b = n.weight_text(0), n.weight_text(1)
    same = f"the same {count(n.path_updates, 'update')} for each" if n.path_updates != n.path_epochs else "for each"
    ratio = (
        f", {caption_number(n.gradient_ratio, 2)} times smaller"
        if np.isfinite(n.gradient_ratio) and n.gradient_ratio >= 2
        else ""
    )
    return (
        f"Two weights of the first layer over the first {count(n.path_epochs, n.unit)}, {same}, each window at its own "
        f"scale. {a} had the largest first gradient, {caption_number(n.gradients[0])}, and {b} the smallest, "
        f"{caption_number(n.gradients[1])}{ratio}."
    )


def _moved(r: OptimizerRun) -> str:
    return f"{caption_number(abs(r.moved[0]))} and {caption_number(abs(r.moved[1]))}"


def _steps_caption(n: OptimizerNumbers) -> str:
    done = n.pick(n.finished)
    others = [r for r in done if r.optimizer != "adam"]
    adams = n.pick(n.adam)
    a, b = n.weight_text(0), n.weight_text(1)
    parts = []
    if others:
        moved = "; ".join(f"{r.name} by {_moved(r)}" for r in others)
        parts.append(f"Over those {count(n.path_epochs, n.unit)} {a} and {b} moved: {moved}.")
        parts.append("Each step follows the gradient, so the weight with the small gradient barely moves.")
    if adams:
        moved = "; ".join(_moved(r) for r in adams)
        text = f"Adam scales each weight's step by that weight's own gradients: it moved them by {moved}"
        steady = [r for r in others if np.isfinite(r.ratio)]
        if steady and all(np.isfinite(r.ratio) for r in adams):
            times = spoken_list([caption_number(r.ratio, 2) for r in adams])
            against = spoken_list([f"{caption_number(r.ratio, 2)} under {r.name}" for r in steady])
            text += f", the first {times} times as far as the second, against {against}"
        parts.append(text + ".")
    return " ".join(parts) or _diverged_text(n)


def _verdict_caption(n: OptimizerNumbers) -> str:
    done = n.pick(n.finished)
    if not done:
        return _diverged_text(n) or "No run finished."
    text = sentence_start("; ".join(f"{r.name}, {train_test_text(r.accT, r.test_accT)}" for r in done)) + "."
    if n.notebook:
        if all(r.reproduces for r in done):
            text += " These are the accuracies the course's notebook printed."
        else:
            printed = "; ".join(f"{r.name}, {caption_percent(r.printed)}" for r in done if r.printed is not None)
            text += f" The course's notebook printed {printed}."
    return text


def captions(n: OptimizerNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Every claim is a property of :class:`OptimizerRun` or :class:`OptimizerNumbers`, which the beats
    read too: how many times farther one weight moved than the other, under Adam and the others,
    from the same path the windows draw; "the accuracies the course's notebook printed" only when every
    run is the notebook's and ends at its printed accuracy.
    """
    return {
        "runs": _runs_caption(n),
        "training": _training_caption(n),
        "paths": _paths_caption(n),
        "steps": _steps_caption(n),
        "verdict": _verdict_caption(n),
    }


# --- the picture ------------------------------------------------------------------------------------


class WeightPath(VGroup):
    """Two weights of one run, their path from the start, drawn up to the clock's epoch, in a window of its own scale.

    The window is square and centred on the start; it reaches the larger of the two weights' largest
    change over the path, so that each optimiser's path fills its window and its direction shows
    how the two weights' steps compare.

    Parameters
    ----------
    history : History
    weights : sequence of (int, int)
        The two weights, ``(row, column)`` of the first layer's ``W``.
    epochs : int
        The path's last snapshot.
    side : float
        The window's side in scene units.
    color : ManimColor
    """

    def __init__(
        self, history: History, weights: Sequence[tuple[int, int]], epochs: int, side: float, color: ManimColor
    ) -> None:
        super().__init__()
        self.history = history
        self.path = weight_path(history, weights, epochs)  # (epochs + 1, 2)
        reach = float(np.abs(self.path).max())
        self.reach = reach if reach > 0 else 1.0
        self.frame = Rectangle(width=side, height=side, color=MUTED, stroke_width=2)
        self.axes = VGroup(
            Line(side / 2 * LEFT, side / 2 * RIGHT, color=MUTED, stroke_width=1, stroke_opacity=0.6),
            Line(side / 2 * DOWN, side / 2 * UP, color=MUTED, stroke_width=1, stroke_opacity=0.6),
        )
        self.scale_factor = 0.46 * side / self.reach
        self.line = VMobject(stroke_color=color, stroke_width=3)
        self.tip = Dot(radius=0.05, color=color)
        self.add(self.frame, self.axes, self.line, self.tip)
        self.iteration: int | None = None
        self.set_iteration(0)

    def reach_tex(self) -> str:
        r"""The window's half-side in TeX: ``|\Delta w| \le 0.0673``."""
        return rf"|\Delta w| \le {tex_number(self.reach)}"

    def moving_parts(self) -> list[Mobject]:
        """The path and its tip."""
        return [self.line, self.tip]

    def set_iteration(self, iteration: int) -> WeightPath:
        """Draw the path up to ``iteration`` (beyond the path, all of it)."""
        i = min(clamp_iteration(self.history, iteration), len(self.path) - 1)
        if i == self.iteration:
            return self
        centre = self.frame.get_center()
        pts = centre + np.column_stack([self.path[: i + 1] * self.scale_factor, np.zeros(i + 1)])
        self.line.set_points_as_corners(pts if len(pts) >= 2 else np.vstack([pts, pts]))
        self.tip.move_to(pts[-1])
        self.iteration = i
        return self


class Optimizers(SideBySide):
    """The same network, start and mini-batches under several optimisers: boundaries, costs, two weights' paths.

    Attributes
    ----------
    numbers : OptimizerNumbers
        Every number and claim of the segment; :attr:`captions` say them, the beats show them.
    captions : dict of str to str
        Each beat's caption.
    paths : list of WeightPath or None
        One per run (``None``: it diverged), drawn in the ``paths`` beat.
    """

    def construct(self) -> None:
        """Play the beats in order."""
        entries = read_runs()
        self.numbers = optimizer_numbers(entries)
        self.captions = captions(self.numbers)
        self.histories: list[History | None] = [e.history for e in entries]
        self.runs_beat()
        self.train_all("training", self.captions["training"], self.numbers.T, TRAIN_SECONDS)
        self.paths_beat()
        self.steps_beat()
        self.verdict_beat()
        fade_to_black(self, run_time=0.8)

    def runs_beat(self) -> None:
        """The heading, one card per run before training, the empty cost axes and the epoch counter."""
        n = self.numbers
        batches = f", mini-batches of {n.batch_size}" if n.batch_size is not None else ""
        test = rf", {n.m_test} test points (rings)" if n.m_test else ""
        shown = self.layout_runs(
            "Optimisers",
            rf"\text{{{n.network}{batches}, learning rate {n.learning_rate:g}, {n.m} {n.dataset} points{test}}}",
            self.histories,
            [TITLES.get(r.optimizer, rf"\text{{{r.optimizer}}}") for r in n.runs],
            unit=n.unit,
            y_max=n.y_max,
            rows=("accuracy", "test_accuracy", "cost"),
            diverged_at=[r.diverged_at for r in n.runs],
        )
        with self.beat("runs", self.captions["runs"]):
            self.play(reveal(self, *shown, run_time=1.5))

    def paths_beat(self) -> None:
        """Under the cards and curves, each run's window of the two weights; their paths drawn on a clock."""
        n = self.numbers
        side = 1.5
        self.paths: list[WeightPath | None] = []
        group = VGroup()
        for r, h, color in zip(n.runs, self.histories, self.colors, strict=True):
            if h is None:
                self.paths.append(None)
                continue
            path = WeightPath(h, n.weights, n.path_epochs, side, color)
            name = MathTex(TITLES.get(r.optimizer, rf"\text{{{r.optimizer}}}"), font_size=20, color=color)
            name.next_to(path.frame, UP, buff=0.1)
            reach = MathTex(path.reach_tex(), font_size=18, color=MUTED).next_to(path.frame, DOWN, buff=0.08)
            self.paths.append(path)
            group.add(VGroup(name, path, reach))
        group.arrange(RIGHT, buff=0.45, aligned_edge=DOWN)
        title = MathTex(
            rf"\text{{the first {count(n.path_epochs, n.unit)}: }} {n.weight_tex(0)} \text{{ across, }} "
            rf"{n.weight_tex(1)} \text{{ up}}",
            font_size=22,
            color=MUTED,
        )
        block = VGroup(title, group).arrange(DOWN, buff=0.15, aligned_edge=LEFT)
        block.move_to((-6.75, -3.85, 0), aligned_edge=DOWN + LEFT)
        rules = self._update_rules()
        rules.move_to((6.85, block.get_center()[1], 0), aligned_edge=RIGHT)
        views = [p for p in self.paths if p is not None]
        clock = IterationClock(np.arange(n.path_epochs + 1))
        with self.beat("paths", self.captions["paths"]):
            self.play(reveal(self, block, rules, run_time=1.0))
            with clock.driving(self, *views):
                self.play(clock.advance_to(n.path_epochs, run_time=PATH_SECONDS))

    def _update_rules(self) -> VGroup:
        """Each run's update, in its colour, one under the other (an optimiser once)."""
        rules = VGroup()
        seen: set[str] = set()
        for r, color in zip(self.numbers.runs, self.colors, strict=True):
            if r.optimizer in seen or r.optimizer not in UPDATE_TEX:
                continue
            seen.add(r.optimizer)
            rules.add(MathTex(UPDATE_TEX[r.optimizer], font_size=24, color=color))
        return rules.arrange(DOWN, aligned_edge=LEFT, buff=0.3)

    def steps_beat(self) -> None:
        """The Adam runs' windows circled: each weight stepped by its own size."""
        with self.beat("steps", self.captions["steps"]):
            self.circle([p for j, p in enumerate(self.paths) if p is not None and j in self.numbers.adam], buff=0.08)

    def verdict_beat(self) -> None:
        """Under each card what the notebook printed (when the runs are its runs); the best runs' accuracies circled."""
        n = self.numbers
        printed = self.printed_rows([(r.printed,) if r.printed is not None and n.notebook else None for r in n.runs])
        with self.beat("verdict", self.captions["verdict"]):
            if len(printed):
                self.play(reveal(self, printed, run_time=1.0))
            self.circle([m for j in n.best for m in self.cards[j].rows.values() if m is not self.cards[j].cost], 0.06)


__all__ = [
    "OptimizerNumbers",
    "OptimizerRun",
    "Optimizers",
    "WeightPath",
    "captions",
    "chosen_weights",
    "optimizer_numbers",
    "optimizer_run",
    "read_runs",
    "weight_path",
]
