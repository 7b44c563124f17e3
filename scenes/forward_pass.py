r"""``manim render scenes/forward_pass.py``: one real data point travels through the network, twice.

Segment *The forward pass* of the lecture (``-ql`` for a quick 480p preview). One data point of
the history (chosen by :func:`choose_point`, never at random) enters the
:class:`~scenes.common.network.NetworkDiagram`; every hidden unit shows its ``z = w·x + b`` and
``tanh(z)``, the output unit its ``σ(z)`` next to the true label. This is shown first with the
initial parameters (a guess near 0.5), then with the trained ones (index ``T`` of the history):
the same two beats (:meth:`ForwardPass.hidden_beat`, :meth:`ForwardPass.output_beat`) played
once per pass. The segment ends on the cost formula with the real cost of both iterations and
the recorded cost curve.

Every number comes from the history (:func:`scenes.common.history.load_history`, ``$NN_HISTORY``);
:func:`forward_numbers` computes them and every claim made about them (:class:`ForwardNumbers`,
:class:`Pass`), :func:`captions` narrates them, all free of Manim state so that
``tests/test_scene_forward_pass.py`` can check them. The scene draws from the same facts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Animation,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    FadeTransform,
    LaggedStart,
    ManimColor,
    MathTex,
    Scene,
    Text,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
)

from nncore import History
from nncore.model import cost
from nncore.network import activate, forward, predict_proba
from scenes.common.curves import CostCurves
from scenes.common.format import caption_number, count, tex_number, vector_text
from scenes.common.frame import keep_in_frame
from scenes.common.history import load_history
from scenes.common.model_text import (
    ACTIVATIONS,
    FEATURE_TEX,
    FEATURE_WORDS,
    hidden_layer_words,
    ordinal,
    training_words,
)
from scenes.common.narration import Narrated
from scenes.common.network import NetworkDiagram
from scenes.common.palette import CLASS_COLORS, HIGHLIGHT, MUTED, NEGATIVE, SYMBOL_COLORS, TEXT, value_color
from scenes.common.tex import prefetch

CONFIDENT = 0.95
"""The followed point is the first one the trained network gives at least this probability of its label."""

GUESS_BAND = 0.05
"""An output within this distance of 0.5 is narrated as a guess."""

SURE = 0.9
"""A correct output is narrated as confident from this probability of the label on."""

TINY_WEIGHT = 0.1
"""The initial weights are narrated as tiny (thin edges) when every one is smaller than this."""

LINEAR_TANH = 0.2
"""When every initial ``|z|`` of the hidden layer is below this, the caption says ``tanh(z) ≈ z``."""

LN2 = math.log(2.0)
"""The cost of answering 0.5 for every point."""

LN2_TOLERANCE = 0.01
"""A first cost this close to :data:`LN2` is said (and shown) to be about ln 2."""

HEADING_SIZE = 40
BODY_SIZE = 32
CELL_SIZE = 28
LABEL_SIZE = 24

PANEL_LEFT = -0.2

GRAPH_WIDTH = 2.2
GRAPH_HEIGHT = 1.8
GRAPH_X = PANEL_LEFT + 5.9
GRAPH_Y = 0.5
"""Size and centre of the activation's graph beside a layer's table (any network but the classic one)."""

GRAPH_RIGHT = 6.95
"""The furthest right the activation's graph may reach (the frame's edge is at 7.1)."""

PANEL_WIDTH = 6.9
"""The widest a line of the right-hand panel may be, from :data:`PANEL_LEFT` to the frame's edge."""
"""Left edge of the panel of numbers (the diagram is on the left half of the frame)."""

Which = Literal["initial", "trained"]
"""The two passes of the segment: with the initial parameters and with the trained ones."""

Judgement = Literal["guess", "wrong", "confident", "unsure"]
"""What one pass's output amounts to for the followed point (see :meth:`Pass.judgement`)."""

VERDICTS: dict[Judgement, str] = {
    "guess": "a useless guess near 0.5",
    "wrong": "wrong: the network misclassifies this point",
    "confident": "a confident, correct answer",
    "unsure": "correct, but not confident",
}
"""The words of each judgement, as the caption and the picture write them."""


def choose_point(history: History, threshold: float = CONFIDENT) -> int:
    """The data point the segment follows: a rule on the history, never random.

    The first point (lowest index) to which the trained network gives probability at least
    ``threshold`` of its true label, so the trained pass shows a confident, correct answer; if
    there is none (a short run), the point with the highest probability of its label.

    Parameters
    ----------
    history : History
    threshold : float

    Returns
    -------
    int
        Column index into ``history.X``.
    """
    a2 = predict_proba(history.X, history.net(history.iterations), history.config.activation)[0]  # (m,)
    y = history.Y[0]  # (m,)
    p_label = np.where(y > 0.5, a2, 1.0 - a2)  # (m,)
    confident = np.flatnonzero(p_label >= threshold)
    if confident.size:
        return int(confident[0])
    return int(np.argmax(p_label))


@dataclass(frozen=True)
class Pass:
    """One forward pass of the followed point with the parameters of one iteration (or epoch).

    Attributes
    ----------
    iteration : int
    z, a : tuple of ndarray
        ``z[l - 1]``, ``a[l - 1]``: layer ``l``'s pre-activations and activations, shape ``(n_l,)``;
        the last is the output unit's, shape ``(1,)``.
    loss : float
        The point's log loss ``-(y log a + (1 - y) log(1 - a))`` of the output ``a``.
    cost : float
        The recorded cost of the whole data set at this iteration (``history.cost``, with the L2
        term when the run has one).
    max_w : tuple of float
        Every layer's largest ``|W|`` entry.
    """

    iteration: int
    z: tuple[np.ndarray, ...]
    a: tuple[np.ndarray, ...]
    loss: float
    cost: float
    max_w: tuple[float, ...]

    @property
    def z1(self) -> np.ndarray:
        """The first hidden layer's pre-activations."""
        return self.z[0]

    @property
    def a1(self) -> np.ndarray:
        """The first hidden layer's activations."""
        return self.a[0]

    @property
    def z2(self) -> float:
        """The output unit's pre-activation (``z^{[2]}`` of one hidden layer, ``z^{[L]}`` of ``L`` layers)."""
        return float(self.z[-1][0])

    @property
    def a2(self) -> float:
        """The output: the probability of class 1."""
        return float(self.a[-1][0])

    @property
    def max_w1(self) -> float:
        """The first layer's largest ``|W|``."""
        return self.max_w[0]

    @property
    def max_w2(self) -> float:
        """The second layer's largest ``|W|``."""
        return self.max_w[1]

    def correct(self, y: float) -> bool:
        """Whether the thresholded prediction ``a2 > 0.5`` equals the label ``y``."""
        return (self.a2 > 0.5) == (y > 0.5)

    def p_label(self, y: float) -> float:
        """The probability the network gives to the label ``y``."""
        return self.a2 if y > 0.5 else 1.0 - self.a2

    @property
    def is_guess(self) -> bool:
        """Whether the output is within :data:`GUESS_BAND` of 0.5."""
        return abs(self.a2 - 0.5) < GUESS_BAND

    @property
    def prob_digits(self) -> int:
        """Digits of the output: five near 0.5 (so 0.49965 is not rounded to 0.500), else three."""
        return 5 if self.is_guess else 3

    @property
    def max_weight(self) -> float:
        """The largest ``|weight|`` of any layer."""
        return max(self.max_w)

    def judgement(self, y: float) -> Judgement:
        """What the output amounts to for label ``y``: a guess, wrong, or correct (confident or not)."""
        if self.is_guess:
            return "guess"
        if not self.correct(y):
            return "wrong"
        return "confident" if self.p_label(y) >= SURE else "unsure"


@dataclass(frozen=True)
class ForwardNumbers:
    """Every number the segment shows, and every claim made about them (properties).

    Attributes
    ----------
    index : int
        The followed point (column of ``X``), see :func:`choose_point`.
    x : ndarray, shape (n_x,)
        Its inputs (its features).
    y : float
    m, n_h, n_x : int
    initial, trained : Pass
        Index 0 and index ``T`` of the history.
    sizes : tuple of int
        ``(n_x, n_1, ..., 1)``.
    activation : str
        The hidden layers' activation (its config value).
    features : tuple of str
        The inputs' names (``x1``, ``x1*x2`` …).
    point : ndarray, shape (2,)
        The point's coordinates (the inputs themselves when they are ``x1, x2``).
    epochs : bool
        The run counts epochs of mini-batches (else iterations of full-batch updates).
    training : str
        How it trained: "gradient descent", "Adam on mini-batches of 64" …
    layer_words : str
        Its hidden layers: "two hidden layers of 10 and 5 units".
    l2, keep_prob : float
    """

    index: int
    x: np.ndarray
    y: float
    m: int
    n_h: int
    n_x: int
    initial: Pass
    trained: Pass
    sizes: tuple[int, ...]
    activation: str
    features: tuple[str, ...]
    point: np.ndarray
    epochs: bool
    training: str
    layer_words: str
    l2: float
    keep_prob: float

    @property
    def layers(self) -> int:
        """``L``: the layers with parameters."""
        return len(self.sizes) - 1

    @property
    def classic(self) -> bool:
        """The blog post's network: one tanh hidden layer on the two coordinates (drawn and said as ever)."""
        return self.layers == 2 and self.activation == "tanh" and self.features == ("x1", "x2")

    @property
    def step_word(self) -> str:
        """What one history index counts: "iteration" or "epoch"."""
        return "epoch" if self.epochs else "iteration"

    def pass_of(self, which: Which) -> Pass:
        """The pass ``which`` (``"initial"`` or ``"trained"``)."""
        return self.initial if which == "initial" else self.trained

    @property
    def label(self) -> str:
        """The point's label as written: ``"1"`` or ``"0"``."""
        return "1" if self.y > 0.5 else "0"

    @property
    def label_class(self) -> int:
        """The point's class (index into the class colours)."""
        return int(self.y > 0.5)

    @property
    def chosen_confidently(self) -> bool:
        """Whether the point was chosen by :data:`CONFIDENT` (else it is the surest point)."""
        return self.trained.p_label(self.y) >= CONFIDENT

    @property
    def weights_tiny(self) -> bool:
        """Whether every initial weight is smaller than :data:`TINY_WEIGHT` (thin edges)."""
        return self.initial.max_weight < TINY_WEIGHT

    @property
    def weights_grew(self) -> bool:
        """Whether training made the largest weight larger."""
        return self.trained.max_weight > self.initial.max_weight

    @property
    def initial_spread(self) -> float:
        """The largest initial ``|z|`` of the hidden layer."""
        return float(np.abs(self.initial.z1).max())

    @property
    def initially_linear(self) -> bool:
        """Whether g is tanh and every initial ``|z|`` is so small that ``tanh(z) ≈ z`` (:data:`LINEAR_TANH`)."""
        return self.activation == "tanh" and self.initial_spread < LINEAR_TANH

    @property
    def starts_at_ln2(self) -> bool:
        """Whether the first cost is about ln 2 (:data:`LN2_TOLERANCE`): the cost of answering 0.5."""
        return abs(self.initial.cost - LN2) < LN2_TOLERANCE


def _pass(history: History, iteration: int, x: np.ndarray, y: float) -> Pass:
    net = history.net(iteration)
    c = forward(x.reshape(-1, 1), net, history.config.activation)  # no dropout: the network as it predicts
    return Pass(
        iteration=iteration,
        z=tuple(z[:, 0] for z in c.Z),
        a=tuple(a[:, 0] for a in c.A),
        loss=cost(c.Z[-1], np.array([[y]])),
        cost=float(history.cost[iteration]),
        max_w=tuple(float(np.abs(W).max()) for W in net.W),
    )


def forward_numbers(history: History) -> ForwardNumbers:
    """Compute what the segment shows from ``history``."""
    i = choose_point(history)
    x = np.array(history.X[:, i])
    y = float(history.Y[0, i])
    cfg = history.config
    points = history.more.get("points")
    return ForwardNumbers(
        index=i,
        x=x,
        y=y,
        m=history.m,
        n_h=history.hidden_units,
        n_x=history.n_x,
        initial=_pass(history, 0, x, y),
        trained=_pass(history, history.iterations, x, y),
        sizes=tuple(history.sizes),
        activation=cfg.activation,
        features=tuple(cfg.features),
        point=np.array(points[:, i]) if points is not None else x.copy(),
        epochs=cfg.batch_size is not None,
        training="gradient descent" if cfg.optimizer == "gd" and cfg.batch_size is None else training_words(cfg),
        layer_words=hidden_layer_words(cfg),
        l2=float(cfg.l2),
        keep_prob=float(cfg.keep_prob),
    )


def verdict(p: Pass, y: float) -> str:
    """A short judgement of one pass's output, true to its numbers (:data:`VERDICTS`)."""
    return VERDICTS[p.judgement(y)]


def _prob(p: Pass, layers: int = 2) -> str:
    """The pass's output for a caption: ``σ(z2) = 0.000322``; just ``σ(z2)`` for a guess (its verdict says 0.5)."""
    z = f"z{layers}"
    return f"σ({z})" if p.is_guess else f"σ({z}) = {caption_number(p.a2)}"


def _range(values: np.ndarray, *, exact_zero: bool = False) -> str:
    """``from lo to hi`` of a layer's values, or the value when there is one (an exact 0 as ``0`` if asked)."""
    lo, hi = float(np.min(values)), float(np.max(values))
    if np.size(values) == 1 or caption_number(lo) == caption_number(hi):
        return caption_number(lo) if np.size(values) == 1 else f"all about {caption_number(lo)}"
    return f"from {caption_number(lo, exact_zero=exact_zero)} to {caption_number(hi, exact_zero=exact_zero)}"


ACTION_WORDS = {
    "tanh": "tanh squashes it between −1 and 1",
    "relu": "ReLU keeps a positive z and turns a negative one into 0",
    "leaky_relu": "leaky ReLU keeps a positive z and multiplies a negative one by 0.01",
    "sigmoid": "the sigmoid squashes it between 0 and 1",
}
"""What each activation does to ``z``, as the first hidden layer's caption says it."""


def _layer_caption(n: ForwardNumbers, which: Which, layer: int) -> str:
    """Hidden layer ``layer``'s caption in pass ``which`` (any network but the classic one)."""
    p, act = n.pass_of(which), activation_name(n)
    z, a = p.z[layer - 1], p.a[layer - 1]
    units = n.sizes[layer]
    if layer == 1:
        source = "x" if which == "initial" else "the same point"
        opening = (
            f"Each first-layer unit computes z = w·x + b, then {act}: {ACTION_WORDS[n.activation]}. "
            if which == "initial"
            else f"Trained, {source} gives the first hidden layer "
        )
    else:
        opening = (
            f"The {ordinal(layer)} hidden layer reads those {count(n.sizes[layer - 1], 'value')}: "
            f"z = w·a + b, then {act}. "
            if which == "initial"
            else f"The {ordinal(layer)} hidden layer now gets "
        )
    if units == 1:
        values = f"z = {caption_number(z[0])}, and {act} gives {caption_number(a[0], exact_zero=True)}."
    elif not np.any(a):
        values = f"z {_range(z)}, and {act} gives 0 for every unit."
    else:
        values = f"z {_range(z)}, and {act} gives values {_range(a, exact_zero=True)}."
    if which == "initial":
        values = "Here z runs " + values[2:]
    zeros = int(np.count_nonzero(z < 0))
    if n.activation == "relu" and 0 < zeros < units:
        values += (
            f" {zeros} of its {units} units {'has' if zeros == 1 else 'have'} z below zero, "
            f"so ReLU outputs 0 for {'it' if zeros == 1 else 'them'}."
        )
    return opening + values


def activation_name(n: ForwardNumbers) -> str:
    """The hidden layers' activation as a caption names it ("tanh", "ReLU")."""
    return ACTIVATIONS[n.activation].name


def feature_tex_of(n: ForwardNumbers) -> list[str]:
    """The inputs' names in TeX (``x_1``, ``x_1 x_2`` …), in the order of ``x``."""
    return [FEATURE_TEX[f] for f in n.features]


def _input_caption(n: ForwardNumbers) -> str:
    if n.features == ("x1", "x2"):
        return f"Its coordinates enter the two input units: x = {vector_text(n.x)}."
    names = [FEATURE_WORDS[f] for f in n.features]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return (
        f"Its coordinates, x1 = {caption_number(n.point[0])} and x2 = {caption_number(n.point[1])}, "
        f"give the {count(n.n_x, 'input')} {listed}: x = {vector_text(n.x)}."
    )


def _largest_weights(p: Pass) -> str:
    """Every layer's largest weight: "1.2 in the first layer, 0.8 in the second layer and 2.1 in the third layer"."""
    parts = [f"{caption_number(w)} in the {ordinal(l + 1)} layer" for l, w in enumerate(p.max_w)]
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


def captions(n: ForwardNumbers) -> dict[str, str]:
    """The narration of every beat, in order, with the real numbers filled in.

    Written to be heard: numbers to three significant digits (a bound rounded so that "at most"
    stays true), a layer's values by their range (the picture shows each one). A deeper network
    has one hidden beat a hidden layer and pass (``hidden_initial``, ``hidden2_initial`` …).

    Returns
    -------
    dict
        Beat name → caption.
    """
    p0, pt, y = n.initial, n.trained, n.label
    L, out = n.layers, f"z{n.layers}"
    why = (
        f"the first one the trained network gets right with at least {round(100 * CONFIDENT)}% confidence"
        if n.chosen_confidently
        else "the one the trained network is surest about"
    )
    largest0 = caption_number(p0.max_weight, 2, bound="up")
    shape = "-".join(str(s) for s in n.sizes)
    what = (
        f"Our {shape} network, untrained: "
        if n.classic
        else f"Our network has {n.layer_words} with {activation_name(n)}. Untrained, "
    )
    steps = count(pt.iteration, n.step_word)
    caps = {
        "network": (
            what
            + (
                f"every weight is at most {largest0}, so the edges are thin. "
                if n.weights_tiny
                else f"its weights are at most {largest0} in size. "
            )
            + f"We follow data point {n.index + 1} of {n.m}, label {y}, {why}."
        ),
        "input_initial": _input_caption(n),
    }

    def hidden(which: Which) -> dict[str, str]:
        if n.classic and which == "initial":
            return {
                "hidden_initial": "Each hidden unit computes z = w·x + b, then tanh(z). "
                + (
                    f"With such small weights |z| is at most {caption_number(n.initial_spread, 2, bound='up')}, "
                    "where tanh(z) ≈ z: tanh passes each z on almost unchanged."
                    if n.initially_linear
                    else f"Here z runs {_range(p0.z1)}, and tanh(z) {_range(p0.a1)}."
                )
            }
        if n.classic:
            return {
                "hidden_trained": (
                    f"The same point now gives z {_range(pt.z1)}, and tanh squashes them into values {_range(pt.a1)}."
                    if n.n_h > 1
                    else f"The same point now gives z = {caption_number(pt.z1[0])}, and tanh squashes it to "
                    f"{caption_number(pt.a1[0])}."
                )
            }
        return {hidden_beat_name(which, l): _layer_caption(n, which, l) for l in range(1, L)}

    caps.update(hidden("initial"))
    caps["output_initial"] = (
        f"The output unit computes {out} = {caption_number(p0.z2, exact_zero=not n.classic)} and {_prob(p0, L)}: "
        f"{verdict(p0, n.y)}, for a point whose label is {y}."
    )
    trained = (
        f"After {steps} of {n.training} the weights have {'grown' if n.weights_grew else 'changed'}: the largest is "
    )
    if L == 2:
        trained += f"{caption_number(pt.max_w1)} in the first layer and {caption_number(pt.max_w2)} in the second."
    else:
        trained += _largest_weights(pt) + "."
    if n.keep_prob < 1:
        trained += " Dropout acts only in training: here every unit takes part."
    caps["trained"] = trained
    caps.update(hidden("trained"))
    caps["output_trained"] = f"{out} = {caption_number(pt.z2)}, so {_prob(pt, L)} for label {y}: {verdict(pt, n.y)}."
    loss_is = "this loss is the cost J" if n.l2 == 0 else "this loss plus the L2 term is the cost J"
    caps["cost"] = (
        f"Averaged over all {n.m} points, {loss_is}: {caption_number(p0.cost)} at first"
        + (" (about ln 2, the cost of always answering 0.5)" if n.starts_at_ln2 else "")
        + f", {caption_number(pt.cost)} after {steps}. Our point's own loss went from "
        f"{caption_number(p0.loss)} to {caption_number(pt.loss)}."
    )
    return caps


def hidden_beat_name(which: Which, layer: int) -> str:
    """The beat of hidden layer ``layer`` in pass ``which``: ``hidden_initial``, ``hidden2_initial``."""
    return f"hidden_{which}" if layer == 1 else f"hidden{layer}_{which}"


# --- the scene -----------------------------------------------------------------------------------


VERDICT_COLORS: dict[Judgement, ManimColor] = {
    "guess": MUTED,
    "wrong": NEGATIVE,
    "confident": HIGHLIGHT,
    "unsure": HIGHLIGHT,
}
"""The colour of each judgement's words under the table."""


def _heading(text: str) -> Text:
    return Text(text, font_size=HEADING_SIZE, color=TEXT).to_edge(UP, buff=0.3)


@dataclass
class ActivationGraph:
    """The activation's graph (axes, curve, formula) and one dot per drawn unit at ``(z, g(z))``."""

    frame: VGroup
    dots: VGroup

    @property
    def group(self) -> VGroup:
        """Both, as one group to fade out."""
        return VGroup(self.frame, self.dots)


@dataclass
class CostColumn:
    """The cost beat's left column: the cost of both iterations, the ln 2 note if true, our point's loss."""

    group: VGroup
    first: MathTex
    note: MathTex | None
    last: MathTex
    point: MathTex


class ForwardPass(Narrated, Scene):
    """One data point through the network: initial parameters, then trained ones; then the cost.

    Attributes
    ----------
    history : History
    numbers : ForwardNumbers
    captions : dict
        Beat name → caption (:func:`captions`).
    heading : Text
        The heading on screen.
    diagram : NetworkDiagram
    titles, tag : Mobject
        The diagram's layer titles and the tag above it saying whose parameters it shows.
    x_line : MathTex
        The point's coordinates and label, above the table.
    header, icons : VGroup
        The hidden-unit table's header and one node icon per drawn hidden unit.
    in_labels, z_cells, a_cells, out_lines, yhat : VGroup or MathTex
        What the current pass shows: the input values, the table's ``z`` and ``tanh(z)`` cells,
        the output lines under the table and the output value on the diagram.
    cost_view : VGroup
        What the cost beat leaves on screen (faded out at the end).
    """

    header: VGroup
    icons: VGroup
    z_cells: VGroup
    a_cells: VGroup
    cost_view: VGroup

    def construct(self) -> None:
        """Play the beats in order (see the module docstring)."""
        self.camera.background_color = "#000000"  # type: ignore[union-attr]  # the Cairo camera
        self.history = load_history()
        self.numbers = forward_numbers(self.history)
        self.captions = captions(self.numbers)

        self.table_layer: int | None = None  # the hidden layer the table shows
        self.graph = VGroup()  # the activation's graph with the layer's units on it (any network but the classic)

        self.network_beat()
        self.input_beat()
        self.hidden_beats("initial")
        self.output_beat("initial")
        self.trained_beat()
        self.hidden_beats("trained")
        self.output_beat("trained")
        self.cost_beat()
        self.play(FadeOut(self.cost_view), run_time=1.0)

    # --- beats -------------------------------------------------------------------------------------

    def network_beat(self) -> None:
        """The network with its initial parameters, under the heading."""
        self.heading = _heading("One point through the network")
        self.diagram = NetworkDiagram(self.history, iteration=0, width=4.6, height=3.6)
        self.diagram.move_to((-4.1, -0.35, 0))
        self.titles = self.diagram.layer_titles(font_size=LABEL_SIZE)
        self.tag = self._tag(0, "initial parameters", self.numbers.step_word)
        with self.beat("network", self.captions["network"]):
            self.play(FadeIn(self.heading, shift=0.2 * DOWN), run_time=1.0)
            self.play(Create(self.diagram), FadeIn(self.titles), run_time=2.5)
            self.play(FadeIn(self.tag), run_time=0.8)

    def input_beat(self) -> None:
        """The point's coordinates light the input units and go up to the panel, with its label."""
        n = self.numbers
        self.in_labels = self._input_labels()
        names = "" if n.features == ("x1", "x2") else r"\left(" + ",\\ ".join(feature_tex_of(n)) + r"\right) = "
        x_line = MathTex(
            "x = " + names,
            r"\left(" + ",\\ ".join(tex_number(v) for v in n.x) + r"\right)",
            r"\qquad y = ",
            n.label,
            font_size=BODY_SIZE,
            color=TEXT,
        )
        x_line[1].set_color(SYMBOL_COLORS["X"])
        x_line[3].set_color(CLASS_COLORS[n.label_class])
        if x_line.width > PANEL_WIDTH:
            x_line.scale_to_fit_width(PANEL_WIDTH)
        self.x_line = x_line.move_to((0, 2.45, 0)).align_to((PANEL_LEFT, 0, 0), LEFT)
        with self.beat("input_initial", self.captions["input_initial"]):
            self.play(self.diagram.make_layer_fill_animation(n.x, 0), FadeIn(self.in_labels), run_time=1.2)
            if len(self.in_labels):
                self.play(TransformFromCopy(self.in_labels, x_line[1]), FadeIn(x_line[0]), run_time=1.2)
            else:  # too many inputs to write each value by its node: the line above the table has them
                self.play(FadeIn(x_line[:2]), run_time=1.2)
            self.play(FadeIn(x_line[2:]), run_time=0.8)

    def hidden_beats(self, which: Which) -> None:
        """Pass ``which`` through the hidden layers: one beat, or one a layer beyond the classic network."""
        if self.numbers.classic:
            self.hidden_beat(which)
            return
        for layer in range(1, self.numbers.layers):
            self.layer_beat(which, layer)

    def layer_beat(self, which: Which, layer: int) -> None:
        """Hidden layer ``layer`` in pass ``which``: its units' ``z`` and ``g(z)``, in the table and on a graph.

        The table is the layer's (its header and unit icons brought in when it shows another
        layer); the layer's nodes fill on the diagram; the graph of the activation marks each
        drawn unit at ``(z, g(z))``, so ReLU's kink shows which units it zeroes.
        """
        n, d = self.numbers, self.diagram
        p, x = n.pass_of(which), n.x
        old = VGroup()
        fresh = self.table_layer != layer
        if fresh:
            if self.table_layer is not None:
                old = VGroup(self.header, self.icons, self.z_cells, self.a_cells)
            self.header, self.icons = self._table_frame(layer)
            self.table_layer = layer
        old.add(self.graph)
        self.z_cells, self.a_cells = self._cells(p, layer)
        graph = self._activation_graph(p, layer, left=self.a_cells.get_right()[0] + 0.25)
        name = hidden_beat_name(which, layer)
        with self.beat(name, self.captions[name]):
            anims: list[Animation] = []
            if which == "trained" and layer == 1:
                self.in_labels = self._input_labels()
                anims += [d.make_layer_fill_animation(x, 0), FadeIn(self.in_labels)]
            if len(old):
                anims.append(FadeOut(old))
            if fresh:
                anims.append(FadeIn(self.header))
            if anims:
                self.play(*anims, run_time=1.0)
            rows: list[VMobject] = (
                [VGroup(icon, cz) for icon, cz in zip(self.icons, self.z_cells, strict=True)]
                if fresh
                else list(self.z_cells)
            )
            self.play(
                d.make_layer_fill_animation(x, layer),
                LaggedStart(*[FadeIn(r) for r in rows]),
                FadeIn(graph.frame),
                run_time=2.0,
            )
            self.play(
                LaggedStart(*[FadeIn(ca) for ca in self.a_cells]),
                *self._icon_fills(p, layer),
                LaggedStart(*[FadeIn(dot) for dot in graph.dots]),
                run_time=1.5,
            )
        self.graph = graph.group

    def hidden_beat(self, which: Which) -> None:
        """Every drawn hidden unit's ``z`` and ``tanh(z)`` in pass ``which``, in the table beside the diagram.

        The initial pass brings the table (its header, then a unit icon with each ``z``); the
        inputs are lit already. The trained pass lights the inputs again (training cleared them)
        and fills the same table.
        """
        p, x, d = self.numbers.pass_of(which), self.numbers.x, self.diagram
        first = which == "initial"
        if first:
            self.header, self.icons = self._table_frame()
            self.table_layer = 1
        self.z_cells, self.a_cells = self._cells(p)
        with self.beat(f"hidden_{which}", self.captions[f"hidden_{which}"]):
            if first:
                self.play(FadeIn(self.header), run_time=0.8)
                rows: list[VMobject] = [VGroup(icon, cz) for icon, cz in zip(self.icons, self.z_cells, strict=True)]
            else:
                self.in_labels = self._input_labels()
                self.play(d.make_layer_fill_animation(x, 0), FadeIn(self.in_labels), run_time=1.0)
                rows = list(self.z_cells)
            self.play(d.make_layer_fill_animation(x, 1), LaggedStart(*[FadeIn(r) for r in rows]), run_time=2.0)
            self.play(LaggedStart(*[FadeIn(ca) for ca in self.a_cells]), *self._icon_fills(p), run_time=1.5)

    def output_beat(self, which: Which) -> None:
        """The output unit in pass ``which``: ``z2``, ``σ(z2)`` against the label, and the verdict."""
        p = self.numbers.pass_of(which)
        self.out_lines = self._output_lines(p)
        self.yhat = self._yhat_label(p)
        with self.beat(f"output_{which}", self.captions[f"output_{which}"]):
            self.play(
                self.diagram.make_layer_fill_animation(self.numbers.x, self.numbers.layers),
                FadeIn(self.yhat),
                run_time=1.2,
            )
            self.play(Write(self.out_lines[0]), run_time=1.0)
            self.play(Write(self.out_lines[1]), run_time=1.0)
            self.play(FadeIn(self.out_lines[2]), run_time=0.8)

    def trained_beat(self) -> None:
        """The initial pass is cleared and the edges become the trained weights."""
        pt = self.numbers.trained
        tag = self._tag(pt.iteration, "trained parameters", self.numbers.step_word)
        with self.beat("trained", self.captions["trained"]):
            self.play(
                self.diagram.make_clear_activations_animation(),
                FadeOut(self._pass_pieces()),
                *[icon[0].animate.set_fill(opacity=0.0) for icon in self.icons],
                FadeTransform(self.tag, tag),
                run_time=1.2,
            )
            self.play(self.diagram.make_iteration_animation(pt.iteration), run_time=3.0)
        self.tag = tag

    def cost_beat(self) -> None:
        """The cost formula, the cost of both iterations on the recorded curve, and our point's loss."""
        heading = _heading(f"The cost of both {self.numbers.step_word}s")
        L = self.numbers.layers
        formula = MathTex(
            rf"J = -\frac{{1}}{{m}} \sum_{{i=1}}^{{m}} \Big( y^{{(i)}} \log a^{{[{L}](i)}}"
            rf" + (1 - y^{{(i)}}) \log\big(1 - a^{{[{L}](i)}}\big) \Big)"
            + (r" + \frac{\lambda}{2m} \sum_{l} \lVert W^{[l]} \rVert^2" if self.numbers.l2 > 0 else ""),
            font_size=BODY_SIZE + 2,
            color=TEXT,
        )
        if formula.width > 13.2:
            formula.scale_to_fit_width(13.2)
        formula.next_to(heading, DOWN, buff=0.35)
        column = self._cost_column()
        plot, ends = self._cost_plot()
        network = VGroup(self.diagram, self.titles, self.tag, self.x_line, self.header, self.icons)
        with self.beat("cost", self.captions["cost"]):
            self.play(
                FadeOut(VGroup(*network, *self._pass_pieces())), FadeTransform(self.heading, heading), run_time=1.2
            )
            self.play(Write(formula), run_time=2.0)
            # The axes first, then the curve drawn from iteration 0; its tip comes with the last cost.
            self.play(
                FadeIn(VGroup(*[m for m in plot if m not in plot.moving_parts()])), Create(plot.curve), run_time=2.0
            )
            note = [FadeIn(column.note)] if column.note is not None else []
            self.play(FadeIn(column.first), FadeIn(ends[0]), *note, run_time=1.0)
            self.play(FadeIn(column.last), FadeIn(VGroup(plot.tip, ends[1])), run_time=1.0)
            self.play(FadeIn(column.point), run_time=1.0)
        self.heading = heading
        self.cost_view = VGroup(heading, formula, column.group, plot, ends)

    # --- pieces ------------------------------------------------------------------------------------

    def _pass_pieces(self) -> VGroup:
        """What the current pass shows (input values, table cells, output lines and value, the activation's graph)."""
        return VGroup(self.z_cells, self.a_cells, self.out_lines, self.yhat, self.in_labels, self.graph)

    @staticmethod
    def _tag(iteration: int, words: str, step: str = "iteration") -> MathTex:
        tag = MathTex(rf"\text{{{step} {iteration}: {words}}}", font_size=LABEL_SIZE + 4, color=HIGHLIGHT)
        return tag.move_to((-4.1, 2.45, 0))

    def _input_labels(self) -> VGroup:
        """The input values beside the input nodes: above the first, below the last; none when the nodes are too close.

        Beyond three inputs (features such as squares and sines) there is no room between the
        nodes for a value; the line above the table writes them all.
        """
        labels = VGroup()
        if self.numbers.n_x > 3:
            return labels
        for k, node in enumerate(self.diagram.input_nodes):
            lab = MathTex(tex_number(self.numbers.x[k]), font_size=LABEL_SIZE + 2, color=SYMBOL_COLORS["X"])
            direction = UP if k == 0 else DOWN
            lab.next_to(node, direction, buff=0.12)
            if lab.get_bottom()[1] < self.titles.get_top()[1] + 0.05:  # the inputs are the lowest nodes:
                lab.next_to(node, UP, buff=0.12)  # the value goes above its node, between the inputs
            labels.add(keep_in_frame(lab, 0.15))  # a long value (a wide data set's coordinates) stays inside
        return labels

    def _table_frame(self, layer: int = 1) -> tuple[VGroup, VGroup]:
        """Header of hidden layer ``layer``'s table and one small node icon per drawn unit of it."""
        if self.numbers.classic:
            header = VGroup(
                MathTex(r"\text{unit}", font_size=LABEL_SIZE, color=MUTED),
                MathTex(r"z = w \cdot x + b", font_size=LABEL_SIZE + 2, color=MUTED),
                MathTex(r"\tanh(z)", font_size=LABEL_SIZE + 2, color=MUTED),
            )
        else:
            source = "x" if layer == 1 else f"a^{{[{layer - 1}]}}"
            header = VGroup(
                MathTex(r"\text{unit}", font_size=LABEL_SIZE, color=MUTED),
                MathTex(rf"z^{{[{layer}]}} = w \cdot {source} + b", font_size=LABEL_SIZE + 2, color=MUTED),
                MathTex(rf"a^{{[{layer}]}} = g(z)", font_size=LABEL_SIZE + 2, color=MUTED),
            )
        xs = self._columns()
        for h, cx in zip(header, xs, strict=True):
            h.move_to((cx, 1.7, 0))
        icons = VGroup()
        units = self.diagram.layer_units[layer]
        # Icons shrink with the rows' spacing so that ten rows do not overlap.
        radius = min(0.2, 0.45 * (self._row_y(0, len(units)) - self._row_y(1, len(units))))
        for r, u in enumerate(units):
            circle = Circle(radius=radius, color=TEXT, stroke_width=2).set_fill(opacity=0.0)
            num = MathTex(str(u + 1), font_size=(LABEL_SIZE - 2) * radius / 0.2, color=TEXT).move_to(circle)
            icons.add(VGroup(circle, num).move_to((xs[0], self._row_y(r, len(units)), 0)))
        return header, icons

    def _columns(self) -> tuple[float, float, float]:
        if self.numbers.classic:
            return (PANEL_LEFT + 0.45, PANEL_LEFT + 2.7, PANEL_LEFT + 5.4)
        return (PANEL_LEFT + 0.45, PANEL_LEFT + 2.15, PANEL_LEFT + 3.95)  # the activation's graph to their right

    def _row_y(self, r: int, rows: int | None = None) -> float:
        """Height of table row ``r`` of ``rows`` (the first hidden layer's): 0.5 apart, closer when there are many."""
        rows = len(self.diagram.shown_units) if rows is None else rows
        return 1.2 - r * min(0.5, 2.6 / max(rows, 1))

    def _cells(self, p: Pass, layer: int = 1) -> tuple[VGroup, VGroup]:
        """The z and g(z) value cells of every drawn unit of hidden layer ``layer`` for pass ``p``."""
        xs = self._columns()
        units = self.diagram.layer_units[layer]
        z_color, a_color = SYMBOL_COLORS["Z^{[1]}"], SYMBOL_COLORS["A^{[1]}"]
        zs, as_ = VGroup(), VGroup()
        texs = [tex_number(p.z[layer - 1][u]) for u in units]
        prefetch(texs + [tex_number(p.a[layer - 1][u], exact_zero=not self.numbers.classic) for u in units])
        for r, u in enumerate(units):
            y = self._row_y(r, len(units))
            z, a = p.z[layer - 1][u], p.a[layer - 1][u]
            zs.add(MathTex(tex_number(z), font_size=CELL_SIZE, color=z_color).move_to((xs[1], y, 0)))
            a_tex = tex_number(a, exact_zero=not self.numbers.classic)  # ReLU's zeros are exact
            as_.add(MathTex(a_tex, font_size=CELL_SIZE, color=a_color).move_to((xs[2], y, 0)))
        return zs, as_

    def _icon_fills(self, p: Pass, layer: int = 1) -> list[Animation]:
        """Fill each table icon like its node on the diagram (its activation's colour)."""
        scale = self.diagram.activation_scales()[layer - 1]
        return [
            icon[0].animate.set_fill(color=value_color(p.a[layer - 1][u], scale), opacity=0.85)  # type: ignore[misc]  # .animate
            for icon, u in zip(self.icons, self.diagram.layer_units[layer], strict=True)
        ]

    def _activation_graph(self, p: Pass, layer: int, left: float = -np.inf) -> ActivationGraph:
        """The activation's graph beside the table, with each drawn unit of ``layer`` at ``(z, g(z))``.

        ``left`` is where the table's values end: a graph that would reach into them (a value such as
        ``1.97 × 10⁻¹⁸`` is wide) moves right and, if it must, shrinks to the frame's edge.
        """
        key = self.numbers.activation
        act = ACTIVATIONS[key]
        units = self.diagram.layer_units[layer]
        z = np.array([p.z[layer - 1][u] for u in units])
        reach = max(float(np.abs(z).max()) * 1.15, 2.5 if key in ("tanh", "sigmoid") else 1.0)
        lo, hi = float(activate(np.array(-reach), key)), float(activate(np.array(reach), key))
        pad = 0.12 * (hi - lo)
        axes = Axes(
            x_range=[-reach, reach, reach],
            y_range=[min(lo, 0.0) - pad, hi + pad, hi + pad],
            x_length=GRAPH_WIDTH,
            y_length=GRAPH_HEIGHT,
            tips=False,
            axis_config={"include_ticks": False, "color": MUTED, "stroke_width": 2},
        )
        # Sampled with z = 0 among the points and drawn straight between them: ReLU's kink stays sharp.
        zs = np.linspace(-reach, reach, 201)
        curve = VMobject(color=TEXT, stroke_width=3).set_points_as_corners(
            [axes.c2p(v, float(activate(np.array(v), key))) for v in zs]
        )
        title = MathTex(rf"\text{{{act.name}: }} g(z) = {act.formula}", font_size=LABEL_SIZE, color=MUTED)
        if title.width > GRAPH_WIDTH + 0.3:
            title.scale_to_fit_width(GRAPH_WIDTH + 0.3)
        z_label = MathTex("z", font_size=LABEL_SIZE, color=MUTED).next_to(axes.x_axis.get_right(), DOWN, buff=0.1)
        frame = VGroup(axes, curve, z_label)
        if key == "leaky_relu":
            frame.add(MathTex(r"\text{slope } 0.01", font_size=LABEL_SIZE - 4, color=MUTED))
        frame.move_to((GRAPH_X, GRAPH_Y, 0))
        title.next_to(axes, DOWN, buff=0.25)  # under it: the table's header runs along the top
        frame.add(title)
        if key == "leaky_relu":
            frame[3].next_to(axes.c2p(-reach / 2, lo), UP, buff=0.25)
        if frame.get_left()[0] < left:
            room = GRAPH_RIGHT - left
            if frame.width > room:
                frame.scale(room / frame.width)
            frame.shift((left - frame.get_left()[0]) * RIGHT)
        scale = self.diagram.activation_scales()[layer - 1]
        dots = VGroup(
            *[
                Dot(axes.c2p(float(v), float(activate(np.array(v), key))), radius=0.07).set_color(
                    value_color(float(activate(np.array(v), key)), scale)
                )
                for v in z
            ]
        )
        return ActivationGraph(frame, dots)

    def _output_lines(self, p: Pass) -> VGroup:
        """``z^{[2]}``, ``ŷ = σ(z^{[2]})`` against the label, and the verdict, under the table."""
        n = self.numbers
        rows = len(self.diagram.layer_units[self.table_layer or 1])
        top = self._row_y(rows - 1, rows) - 0.45
        L = n.layers
        z_line = MathTex(
            rf"z^{{[{L}]}} = ", tex_number(p.z2, exact_zero=not n.classic), font_size=BODY_SIZE, color=TEXT
        )
        z_line[1].set_color(SYMBOL_COLORS["Z^{[2]}"])
        y_line = MathTex(
            rf"\hat{{y}} = \sigma(z^{{[{L}]}}) = ",
            tex_number(p.a2, p.prob_digits),
            r"\qquad \text{label } y = ",
            n.label,
            font_size=BODY_SIZE,
            color=TEXT,
        )
        y_line[1].set_color(SYMBOL_COLORS["A^{[2]}"])
        y_line[3].set_color(CLASS_COLORS[n.label_class])
        judgement = p.judgement(n.y)
        v_line = Text(VERDICTS[judgement], font_size=LABEL_SIZE + 4, color=VERDICT_COLORS[judgement])
        for line in (z_line, y_line, v_line):  # a long verdict or long numbers: keep each inside the frame
            if line.width > PANEL_WIDTH:
                line.scale_to_fit_width(PANEL_WIDTH)
        lines = VGroup(z_line, y_line, v_line).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        lines.move_to((0, min(top, -0.9), 0), aligned_edge=UP).align_to((PANEL_LEFT, 0, 0), LEFT)
        return lines

    def _yhat_label(self, p: Pass) -> MathTex:
        lab = MathTex(tex_number(p.a2, p.prob_digits), font_size=LABEL_SIZE + 2, color=SYMBOL_COLORS["A^{[2]}"])
        return lab.next_to(self.diagram.output_node, UP, buff=0.15)

    @staticmethod
    def _cost_row(p: Pass, step: str = "iteration") -> MathTex:
        row = MathTex(rf"\text{{{step} {p.iteration}:}}\quad J = ", tex_number(p.cost), font_size=BODY_SIZE, color=TEXT)
        row[1].set_color(HIGHLIGHT)
        return row

    def _cost_column(self) -> CostColumn:
        """The cost of both iterations (with the ln 2 note when it is true) and our point's loss."""
        n = self.numbers
        first, last = self._cost_row(n.initial, n.step_word), self._cost_row(n.trained, n.step_word)
        note = None
        if n.starts_at_ln2:
            note = MathTex(
                rf"\approx \ln 2 = {tex_number(LN2)}\text{{: answering 0.5 everywhere}}",
                font_size=LABEL_SIZE + 2,
                color=MUTED,
            )
        point = MathTex(
            rf"\text{{our point (}}y = {n.label}\text{{): loss }}",
            tex_number(n.initial.loss),
            r"\to",
            tex_number(n.trained.loss),
            font_size=BODY_SIZE - 2,
            color=TEXT,
        )
        point[1].set_color(HIGHLIGHT)
        point[3].set_color(HIGHLIGHT)
        group = VGroup(*[m for m in (first, note, last, point) if m is not None])
        group.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        if note is not None:
            note.shift(0.2 * UP + 0.3 * RIGHT)
        group.move_to((-3.6, -0.5, 0))
        if group.get_left()[0] < -6.8:
            group.shift((-6.8 - group.get_left()[0]) * RIGHT)
        return CostColumn(group, first, note, last, point)

    def _cost_plot(self) -> tuple[CostCurves, VGroup]:
        """The recorded cost curve (the lecture's log-axis cost plot) and its two ends marked with their values."""
        n = self.numbers
        plot = CostCurves.single(
            self.history, width=5.2, height=3.0, iteration=n.trained.iteration, font_size=LABEL_SIZE
        )
        plot.move_to((3.6, -0.7, 0))
        ends = VGroup()
        # The first label goes up and right: on a log axis the curve runs flat to the right of it at first.
        for p, direction in ((n.initial, UR), (n.trained, UP)):
            dot = Dot(plot.point_of(0, p.iteration), radius=0.07, color=HIGHLIGHT)
            label = MathTex(tex_number(p.cost), font_size=LABEL_SIZE + 2, color=HIGHLIGHT)
            ends.add(VGroup(dot, keep_in_frame(label.next_to(dot, direction, buff=0.12))))
        return plot, ends
