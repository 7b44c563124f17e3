"""``manim render scenes/title_card.py TitleCard``: the lecture's opening card, the run in numbers.

The first chapter of ``python -m lecture build``. It names the run the lecture explains, every
number read from the training history (``scenes.common.history.load_history``, ``$NN_HISTORY``): the
data set and its points, the network's shape, the learning rate, the number of iterations, and
where training ended (final cost and training accuracy). Its last frame is the lecture's poster.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    LaggedStart,
    Rectangle,
    Scene,
    Text,
    VGroup,
    Write,
)
from manim.utils.color import ParsableManimColor

from nncore import History
from scenes.common.dots import dot_cloud
from scenes.common.format import caption_number, caption_percent, caption_setting, count, dataset_name
from scenes.common.history import load_history
from scenes.common.model_text import FEATURE_WORDS, activation, learning_phrase, network_phrase, training_words
from scenes.common.narration import Narrated
from scenes.common.palette import CLASS_COLORS, HIGHLIGHT, MUTED, TEXT

TEXT_WIDTH = 13.0
"""The widest a line of the card may be, in scene units (the frame is 14.2 wide)."""


def data_points(history: History, size: float, radius: float = 0.035) -> tuple[VGroup, np.ndarray, float]:
    """The training points as dots coloured by class, fitted in a ``size`` × ``size`` square.

    Parameters
    ----------
    history : History
        Its ``X`` (2, m) and ``Y`` (1, m) are drawn.
    size : float
        Side of the square (scene units) the points are fitted into, centred on the origin.
    radius : float
        Dot radius.

    Returns
    -------
    dots : VGroup
        One :class:`~manim.Dot` per example, in data order; beyond
        :data:`~scenes.common.dots.MANY_POINTS` examples, one shape per class holding all of its
        dots (:func:`~scenes.common.dots.dot_cloud`: the same picture, two mobjects).
    centre : ndarray, shape (2,)
        The data coordinates drawn at the square's centre.
    scale : float
        Scene units per data unit (the same on both axes, so shapes are not distorted).
    """
    X, Y = history.more.get("points", history.X), history.Y  # (2, m): the points, whatever the features; (1, m)
    lo, hi = X.min(axis=1), X.max(axis=1)  # (2,)
    centre = (lo + hi) / 2
    scale = size / float(max(hi - lo) * 1.08 or 1.0)
    colors = [CLASS_COLORS[int(label > 0.5)] for label in Y[0]]
    return dot_cloud((X.T - centre) * scale, radius, colors), centre, scale


def table_text(text: str, font_size: float, color: ParsableManimColor) -> Text:
    """A line of a table whose bounding box has the same height and baseline as every other line.

    A hidden ``|`` (it rises and descends further than any letter) is appended, so rows placed
    by their boxes line up on their baselines whatever letters they contain.
    """
    mob = Text(text + "|", font_size=font_size, color=color)
    mob[-1].set_opacity(0)
    return mob


def classic(history: History) -> bool:
    """The blog post's run: one tanh hidden layer on the two coordinates, full-batch gradient descent, nothing more.

    Its card and narration are the lecture's as they always were; any other run says what it is.
    """
    cfg = history.config
    return (
        history.layers == 2
        and cfg.activation == "tanh"
        and tuple(cfg.features) == ("x1", "x2")
        and cfg.optimizer == "gd"
        and cfg.batch_size is None
        and cfg.l2 == 0
        and cfg.keep_prob == 1
        and not cfg.test_points
    )


def held_out_accuracy(history: History) -> float | None:
    """The final network's accuracy on the held-out test set, if the run has one."""
    values = history.more.get("test_accuracy")
    return None if values is None else float(values[-1])


def _network_text(history: History) -> str:
    """``2 inputs → 10 ReLU → 5 ReLU → 1 sigmoid``, the inputs named when they are features."""
    cfg = history.config
    name = activation(cfg).name
    inputs = f"{history.n_x} inputs"
    if tuple(cfg.features) != ("x1", "x2"):
        inputs += " (" + ", ".join(cfg.features) + ")"
    hidden = " → ".join(f"{n} {name}" for n in cfg.layers)
    return f"{inputs} → {hidden} → 1 sigmoid"


def run_facts(history: History) -> list[tuple[str, str]]:
    """The run as (label, value) rows, every value read from ``history``: its settings, then its results.

    The results are the last rows: final cost and training accuracy, and test accuracy when the
    run has a test set.
    """
    cfg = history.config
    m = history.m
    if not classic(history):
        steps = "epochs" if cfg.batch_size is not None else "iterations"
        facts = [
            ("data set", f"{cfg.dataset}: {m} points, 2 classes"),
            ("network", _network_text(history)),
            ("learning rate", f"{cfg.learning_rate:g}"),
            (steps, f"{history.iterations} of {training_words(cfg)}"),
        ]
        reg = [f"L2 λ = {cfg.l2:g}"] if cfg.l2 > 0 else []
        reg += [f"dropout, keep_prob {cfg.keep_prob:g}"] if cfg.keep_prob < 1 else []
        if reg:
            facts.append(("regularisation", ", ".join(reg)))
        cost = f"{caption_number(history.cost[-1], 4)}   (started at {caption_number(history.cost[0], 4)})"
        facts += [
            ("final cost", cost),
            ("accuracy", f"{100 * history.accuracy[-1]:.2f} % of the training points"),
        ]
        test = held_out_accuracy(history)
        if test is not None:
            m_test = int(history.more["X_test"].shape[1])
            facts.append(("test accuracy", f"{100 * test:.2f} % of {m_test} held-out points"))
        return facts
    return [
        ("data set", f"{cfg.dataset}: {m} points, 2 classes"),
        ("network", f"2 inputs → {history.hidden_units} tanh → 1 sigmoid"),
        ("learning rate", f"{cfg.learning_rate:g}"),
        ("iterations", f"{history.iterations} of batch gradient descent"),
        ("final cost", f"{caption_number(history.cost[-1], 4)}   (started at {caption_number(history.cost[0], 4)})"),
        ("accuracy", f"{100 * history.accuracy[-1]:.2f} % of the training points"),
    ]


def captions(history: History) -> dict[str, str]:
    """The narration of the three beats, with the run's numbers (rounded to be heard: cost to three digits)."""
    cfg = history.config
    if not classic(history):
        steps = count(history.iterations, "epoch" if cfg.batch_size is not None else "iteration")
        result = (
            f"It ends at cost {caption_number(history.cost[-1])}, from {caption_number(history.cost[0])} at the "
            f"start, with {caption_percent(history.accuracy[-1])} of the training points classified correctly"
        )
        test = held_out_accuracy(history)
        if test is not None:
            m_test = int(history.more["X_test"].shape[1])
            result += f", and {caption_percent(test)} of the {m_test} test points it never trained on"
        inputs = ""
        if tuple(cfg.features) != ("x1", "x2"):
            names = [FEATURE_WORDS[f] for f in cfg.features]
            listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
            inputs = f" Its inputs are {listed}."
        network = network_phrase(cfg)
        return {
            "title": "One real training run of a small neural network, from its first step to its last.",
            "the_run": (
                f"{history.m} {dataset_name(cfg.dataset)} points in two classes. {network[0].upper()}{network[1:]}. "
                f"It learns by {learning_phrase(cfg)}; learning rate {caption_setting(cfg.learning_rate)}, "
                f"{steps}.{inputs}"
            ),
            "the_result": result + ".",
        }
    return {
        "title": "One real training run of a small neural network, from its first step to its last.",
        "the_run": (
            f"{history.m} {dataset_name(cfg.dataset)} points in two classes; "
            f"{count(history.hidden_units, 'hidden unit')}, "
            f"learning rate {caption_setting(cfg.learning_rate)}, {count(history.iterations, 'iteration')}."
        ),
        "the_result": (
            f"It ends at cost {caption_number(history.cost[-1])}, from {caption_number(history.cost[0])} at the "
            f"start, with {caption_percent(history.accuracy[-1])} of the training points classified correctly."
        ),
    }


class TitleCard(Narrated, Scene):
    """The opening card: the lecture's title, the data set, and the run's settings and results."""

    def construct(self) -> None:
        """Three beats: the title; the data and the network; where training ended."""
        self.history = load_history()
        self.captions = captions(self.history)
        self.title_beat()
        self.run_beat()
        self.result_beat()

    def title_beat(self) -> None:
        """The lecture's title and what it is about."""
        h = self.history
        title = Text("Explainable training", font_size=56, color=TEXT, weight="BOLD")
        shape = "-".join(str(n) for n in h.sizes)
        kind = "" if classic(h) else f" {activation(h.config).name}"
        subtitle = Text(
            f"a {shape}{kind} network learns the {dataset_name(h.config.dataset)} data set, step by step",
            font_size=30,
            color=MUTED,
        )
        if subtitle.width > TEXT_WIDTH:
            subtitle.scale_to_fit_width(TEXT_WIDTH)
        self.heading = VGroup(title, subtitle).arrange(DOWN, buff=0.3)
        with self.beat("title", self.captions["title"]):
            self.play(Write(title), FadeIn(subtitle, shift=0.2 * UP), run_time=1.5)

    def run_beat(self) -> None:
        """The data points, and the run's settings as a table."""
        dots, _, _ = data_points(self.history, size=4.6)
        frame = Rectangle(width=4.9, height=4.9, stroke_color=MUTED, stroke_width=1.5)
        VGroup(frame, dots).move_to(3.85 * LEFT + 0.55 * DOWN)
        self.rows = rows = self._fact_rows()
        with self.beat("the_run", self.captions["the_run"]):
            self.play(self.heading.animate.scale(0.62).to_edge(UP, buff=0.35), run_time=0.8)
            self.play(FadeIn(frame), LaggedStart(*[FadeIn(d) for d in dots], lag_ratio=0.002), run_time=1.6)
            settings = rows[: self.settings]
            self.play(LaggedStart(*[FadeIn(r[0]) for r in settings], lag_ratio=0.2), run_time=0.8)
            self.play(LaggedStart(*[FadeIn(r[1]) for r in settings], lag_ratio=0.2), run_time=0.8)

    def result_beat(self) -> None:
        """The last rows: final cost and accuracy (and the test set's accuracy)."""
        with self.beat("the_result", self.captions["the_result"]):
            self.play(*[FadeIn(row) for row in self.rows[self.settings :]], run_time=1.0)

    def _fact_rows(self) -> VGroup:
        """:func:`run_facts` as a two-column table of (label, value) rows, right of the data."""
        facts = run_facts(self.history)
        self.settings = len(facts) - (3 if held_out_accuracy(self.history) is not None else 2)
        labels = VGroup(*[table_text(label, 24, MUTED) for label, _ in facts])
        labels.arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        values = VGroup()
        for (label, value), lab in zip(facts, labels, strict=True):
            colour = HIGHLIGHT if label in ("final cost", "accuracy", "test accuracy") else TEXT
            text = table_text(value, 24, colour)
            values.add(text.move_to(lab.get_center()).align_to(labels, LEFT).shift((labels.width + 0.45) * RIGHT))
        rows = VGroup(*[VGroup(lab, val) for lab, val in zip(labels, values, strict=True)])
        if rows.width > 7.3:  # a long data set name or iteration count: keep inside the frame
            rows.scale_to_fit_width(7.3)
        rows.move_to(0.55 * DOWN).align_to(0.55 * LEFT, LEFT)
        return rows
