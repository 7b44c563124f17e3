"""``manim render scenes/summary.py Summary``: the lecture's closing summary, from the history.

The last chapter of ``python -m lecture build``. Three beats, every number read from the training
history (``scenes.common.history.load_history``, ``$NN_HISTORY``): the cost over all iterations, the
final network's decision regions over the training points with its accuracy, and the loop of
four steps that produced them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Axes,
    Create,
    Dot,
    FadeIn,
    ImageMobject,
    MathTex,
    Rectangle,
    Scene,
    Text,
    VGroup,
    VMobject,
    Write,
)

from nncore import History
from nncore.data import features
from nncore.model import predict_grid
from nncore.network import predict_proba
from scenes.common.colors import probability_rgb
from scenes.common.curves import LARGEST_PLAIN_AXIS, axis_power, cost_label_tex, finite_peak, nice_ceiling, on_axis
from scenes.common.format import caption_number, caption_percent, caption_setting, count
from scenes.common.frame import keep_in_frame
from scenes.common.history import load_history
from scenes.common.model_text import learning_phrase, network_phrase
from scenes.common.narration import Narrated
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.title_card import classic, data_points, held_out_accuracy

RASTER = 160
"""Pixels per side of the decision-region image."""


def y_ceiling(cost: np.ndarray) -> float:
    """Top of the cost axis: the largest finite cost rounded up to a tenth (at least 0.1).

    An infinite cost (a saturated output on a wrong label, e.g. weights drawn x 10) is drawn at the
    top of the axis and labelled ∞ (:func:`~scenes.common.curves.on_axis`), as the other cost curves draw it.
    """
    peak = finite_peak([cost])
    if peak is not None and peak >= LARGEST_PLAIN_AXIS:  # an astronomical cost: a round top, counted in 10^k
        return nice_ceiling(peak)
    return max(math.ceil(peak * 10 + 1e-9) / 10, 0.1) if peak is not None else 1.0


def sample_iterations(iterations: int, points: int = 400) -> np.ndarray:
    """At most ``points`` iteration indices from 0 to ``iterations``, both ends included."""
    return np.unique(np.linspace(0, iterations, min(points, iterations + 1)).round().astype(int))


def decision_image(history: History, centre: np.ndarray, scale: float, size: float) -> np.ndarray:
    """The final network's predicted probability over the drawn square, as RGB pixels.

    Parameters
    ----------
    history : History
        Its final parameters are used.
    centre : ndarray, shape (2,)
        Data coordinates at the square's centre (as returned by ``data_points``).
    scale : float
        Scene units per data unit.
    size : float
        Side of the square in scene units.

    Returns
    -------
    ndarray, shape (RASTER, RASTER, 3), dtype uint8
        Row 0 is the top of the square (largest second input).
    """
    half = size / 2 / scale
    xs = np.linspace(centre[0] - half, centre[0] + half, RASTER)  # (RASTER,)
    ys = np.linspace(centre[1] - half, centre[1] + half, RASTER)  # (RASTER,)
    cfg = history.config
    if history.layers == 2 and cfg.activation == "tanh" and tuple(cfg.features) == ("x1", "x2"):
        return probability_rgb(predict_grid(history.params(-1), xs, ys)[::-1])  # (RASTER, RASTER), row i at ys[i]
    gx, gy = np.meshgrid(xs, ys)  # (RASTER, RASTER) each, row i at ys[i]
    inputs = features(np.vstack([gx.ravel(), gy.ravel()]), tuple(cfg.features))  # (n_x, RASTER²)
    p = predict_proba(inputs, history.net(-1), cfg.activation).reshape(gy.shape)
    return probability_rgb(p[::-1])


def captions(history: History) -> dict[str, str]:
    """The narration of the three beats, with the run's numbers (rounded to be heard: cost to three digits)."""
    T = history.iterations
    if not classic(history):
        cfg = history.config
        steps = count(T, "epoch" if cfg.batch_size is not None else "iteration")
        regions = (
            f"The final network colours the plane by its prediction: {caption_percent(history.accuracy[-1])} "
            f"of the {history.m} training points fall on their own class's side"
        )
        test = held_out_accuracy(history)
        if test is not None:
            regions += f", and {caption_percent(test)} of the {int(history.more['X_test'].shape[1])} test points"
        return {
            "cost": (
                f"Over {steps} with learning rate {caption_setting(cfg.learning_rate)}, the cost went from "
                f"{caption_number(history.cost[0])} to {caption_number(history.cost[-1])}."
            ),
            "decision_regions": regions + ".",
            "the_loop": (
                f"That was {network_phrase(cfg)}. It learned by {learning_phrase(cfg)}. "
                "Each step ran forward pass, cost, backpropagation, update. "
                "Every number in this lecture came from this one run."
            ),
        }
    return {
        "cost": (
            f"Over {count(T, 'iteration')} of gradient descent with learning rate "
            f"{caption_setting(history.config.learning_rate)}, the cost went from "
            f"{caption_number(history.cost[0])} to {caption_number(history.cost[-1])}."
        ),
        "decision_regions": (
            f"The final network colours the plane by its prediction: {caption_percent(history.accuracy[-1])} "
            f"of the {history.m} training points fall on their own class's side."
        ),
        "the_loop": (
            "Each iteration ran the same four steps: forward pass, cost, backpropagation, update. "
            "Every number in this lecture came from this one run."
        ),
    }


class Summary(Narrated, Scene):
    """The closing summary: the cost curve, the final decision regions, and the training loop."""

    def construct(self) -> None:
        """Three beats: cost, decision regions, the loop."""
        self.history = load_history()
        self.captions = captions(self.history)
        self.cost_beat()
        self.regions_beat()
        self.loop_beat()

    def cost_beat(self) -> None:
        """The heading and the cost curve from the first iteration to the last."""
        h = self.history
        T = h.iterations
        heading = Text("What the training run did", font_size=40, color=TEXT).to_edge(UP, buff=0.35)
        top = y_ceiling(h.cost)
        power = axis_power(top)  # an astronomical cost: the axis counts in 10^power
        unit = 10.0**power
        axes = Axes(
            x_range=[0, T, T / 4],
            y_range=[0, top / unit, top / unit / 4],
            x_length=5.4,
            y_length=3.3,
            tips=False,
            axis_config={"color": MUTED, "include_ticks": True},
        )
        numbers: dict[str, Any] = {"font_size": 30, "color": MUTED, "excluding": [], "group_with_commas": False}
        axes.x_axis.add_numbers(x_values=sorted({0, T // 2, T}), num_decimal_places=0, **numbers)
        axes.y_axis.add_numbers(x_values=[0, top / unit / 2, top / unit], num_decimal_places=2, **numbers)
        step = "epoch" if h.config.batch_size is not None else "iteration"
        x_label = Text(step, font_size=24, color=MUTED).next_to(axes.x_axis, DOWN, buff=0.5)
        # above the axis numbers, so the start value can sit right of the axis whatever the curve does
        y_label: VMobject = Text("cost", font_size=24, color=MUTED)
        if power:
            y_label = MathTex(cost_label_tex(power), font_size=30, color=MUTED)
        y_label.next_to(axes.c2p(0, top / unit), UP, buff=0.25).align_to(axes.y_axis.numbers, LEFT)
        idx = sample_iterations(T)
        drawn = on_axis(h.cost, top) / unit
        curve = axes.plot_line_graph(idx, drawn[idx], add_vertex_dots=False, line_color=HIGHLIGHT, stroke_width=3)
        VGroup(axes, x_label, y_label, curve).move_to(3.45 * LEFT + 0.4 * UP)
        start_dot = Dot(axes.c2p(0, drawn[0]), color=TEXT, radius=0.06)
        end_dot = Dot(axes.c2p(T, drawn[-1]), color=HIGHLIGHT, radius=0.06)
        start_label = Text(caption_number(h.cost[0], 4), font_size=22, color=TEXT).next_to(start_dot, UR, buff=0.1)
        end_label = Text(caption_number(h.cost[-1], 4), font_size=22, color=HIGHLIGHT).next_to(end_dot, UP, buff=0.15)
        # an infinite first cost is labelled at the axis' top, under the axis' label: a wide label
        # ("cost (x10^12)") is lifted clear of it
        clear = start_label.get_top()[1] + 0.08
        if y_label.get_right()[0] > start_label.get_left()[0] and y_label.get_bottom()[1] < clear:
            y_label.shift((clear - y_label.get_bottom()[1]) * UP)
        with self.beat("cost", self.captions["cost"]):
            self.play(FadeIn(heading), FadeIn(axes), FadeIn(x_label), FadeIn(y_label), run_time=0.8)
            self.play(FadeIn(start_dot), FadeIn(start_label), run_time=0.4)
            self.play(Create(curve), run_time=2.0)
            self.play(FadeIn(end_dot), FadeIn(end_label), run_time=0.4)

    def regions_beat(self) -> None:
        """The final network's decision regions under the training points, and its accuracy."""
        h = self.history
        size = 4.3
        dots, centre, scale = data_points(h, size=size, radius=0.03)
        image = ImageMobject(decision_image(h, centre, scale, size))
        image.stretch_to_fit_width(size).stretch_to_fit_height(size)
        frame = Rectangle(width=size, height=size, stroke_color=MUTED, stroke_width=1.5)
        region = VGroup(frame, dots)
        where = 3.55 * RIGHT + 0.5 * UP
        region.move_to(where)
        image.move_to(where)
        words = f"training accuracy {100 * h.accuracy[-1]:.2f} %"
        test = held_out_accuracy(h)
        if test is not None:  # side by side: what it learnt, and how well that holds on points it never saw
            words += f"   test {100 * test:.2f} %"
        # with a test set the line is wider than the picture: at 100.00 % it reached the frame's edge
        accuracy = keep_in_frame(Text(words, font_size=24, color=HIGHLIGHT).next_to(frame, DOWN, buff=0.25))
        with self.beat("decision_regions", self.captions["decision_regions"]):
            self.play(FadeIn(frame), FadeIn(dots), run_time=0.8)
            self.play(FadeIn(image), run_time=1.2)
            self.bring_to_front(dots)
            self.play(Write(accuracy), run_time=0.8)

    def loop_beat(self) -> None:
        """The four steps every iteration ran."""
        h = self.history
        steps = Text("forward pass  →  cost  →  backpropagation  →  update", font_size=26, color=TEXT)
        units = (
            count(h.hidden_units, "hidden unit")
            if h.layers == 2
            else " and ".join(str(n) for n in h.config.layers) + " hidden units"
        )
        times = Text(
            f"repeated {count(h.updates, 'time')}, with {units}",
            font_size=22,
            color=MUTED,
        )
        loop = VGroup(steps, times).arrange(DOWN, buff=0.2).to_edge(DOWN, buff=0.3)
        if loop.width > 13:
            loop.scale_to_fit_width(13)
        with self.beat("the_loop", self.captions["the_loop"]):
            self.play(FadeIn(steps, shift=0.2 * LEFT), FadeIn(times), run_time=1.0)
