"""The backprop segment's numbers and narration: every number and claim the scene shows and says.

``python -c "from nncore import TrainConfig, train; from scenes.backprop_numbers import backprop_numbers,
captions; print(captions(backprop_numbers(train(TrainConfig(iterations=60))))['setup'])"`` prints the
setup beat's lines for a short run.

:func:`backprop_numbers` reads (and forward-computes) from the history every number the segment
(:mod:`scenes.backprop`) shows: the update with the largest gradient of the first
:data:`SEARCH_WINDOW` (:func:`choose_iteration`), the weight whose update is followed
(:func:`choose_weight`), the replay's steps. :func:`captions` writes the narration from them, beat
by beat and line by line (``beat → line name → text``; the scene says a line by its name). No
drawing happens here: the tests check these numbers against the history and the captions'
claims against the numbers without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import ManimColor

from nncore import History
from nncore.model import forward
from scenes.common.colors import TEXT_HEX
from scenes.common.field import plane_points, separable_tanh
from scenes.common.format import (
    MINUS,
    caption_number,
    caption_percent,
    caption_setting,
    count,
    spoken_list,
    tex_number,
)
from scenes.common.model_text import FEATURE_WORDS
from scenes.common.palette import SYMBOL_COLORS

SEARCH_WINDOW = 300
"""The update shown is the one with the largest gradient norm among the first this many."""

SINGLE_STEPS = 3
"""Updates replayed one at a time, each with the chosen weight's new value."""

FAST_FORWARD = 250
"""Then this many further updates are replayed quickly (clipped to the end of the run)."""

WEIGHT_DIGITS = 4
"""Significant digits of the weight update's numbers (enough to check the arithmetic by eye)."""


# --- the numbers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChosenWeight:
    """One weight whose update is shown: its layer, position and the numbers of one update.

    Attributes
    ----------
    layer : int
        1 for ``W1[unit, k]``, 2 for ``W2[0, unit]``.
    unit : int
        Hidden unit (0-based).
    k : int
        Input index for layer 1 (0-based); 0 for layer 2.
    before, grad, after : float
        ``W[i]``, ``dW[i]`` and the weight after the update; ``before - lr * grad == after`` for
        gradient descent (:class:`OptimizerStep` for the other rules).
    last : int
        ``L``, the output layer's number: for ``layer == last``, ``unit`` is the column (the unit
        of layer ``L - 1`` the weight leaves) and ``k`` is 0, as for week 3's ``W2[0, unit]``.
    inputs : tuple of str
        The input features' names (``x1``, ``x2``, ``x1*x2`` …), for a first-layer weight's description.
    """

    layer: int
    unit: int
    k: int
    before: float
    grad: float
    after: float
    last: int = 2
    inputs: tuple[str, ...] = ("x1", "x2")

    @property
    def output(self) -> bool:
        """The weight is the output layer's."""
        return self.layer == self.last

    @property
    def row_col(self) -> tuple[int, int]:
        """Its (row, column) in ``W[layer]``, 0-based."""
        return (0, self.unit) if self.output else (self.unit, self.k)

    @property
    def tex(self) -> str:
        """TeX of the weight, e.g. ``W_{1,2}^{[1]}`` (1-based row, column)."""
        r, c = self.row_col
        return rf"W_{{{r + 1},{c + 1}}}^{{[{self.layer}]}}"

    @property
    def color(self) -> ManimColor:
        """The colour of its matrix's symbol (the text's where the palette has none for a deeper layer)."""
        return SYMBOL_COLORS.get(f"W^{{[{self.layer}]}}", ManimColor(TEXT_HEX))

    @property
    def name(self) -> str:
        """Plain-text name for captions, e.g. ``W1[1,2]``."""
        r, c = self.row_col
        return f"W{self.layer}[{r + 1},{c + 1}]"

    @property
    def description(self) -> str:
        """Where the weight sits in the network, for captions."""
        deep = self.last > 2
        if self.output:
            return (
                f"from unit {self.unit + 1} of the last hidden layer to the output"
                if deep
                else f"from hidden unit {self.unit + 1} to the output"
            )
        if self.layer == 1:
            to = f"unit {self.unit + 1} of the first hidden layer" if deep else f"hidden unit {self.unit + 1}"
            return f"from {FEATURE_WORDS[self.inputs[self.k]]} to {to}"
        return (
            f"from unit {self.k + 1} of hidden layer {self.layer - 1} to unit {self.unit + 1} of hidden layer "
            f"{self.layer}"
        )


@dataclass(frozen=True)
class BackpropNumbers:
    """Everything the segment shows, read from (or computed by a forward pass over) the history.

    The properties are the facts the captions state and the picture shows (which point errs
    most, which unit is the flattest …), computed here once for both.

    Attributes
    ----------
    iteration : int
        The update shown: gradients ``dW1[i]`` … computed at ``params(i)``.
    window : int
        The number of first updates searched for the largest gradient norm.
    grad_norm : float
        Euclidean norm of all four gradients of that update.
    cost, accuracy : float
        Of the parameters at ``iteration``.
    lr : float
        The run's learning rate.
    A1 : ndarray, shape (n_h, m)
    A2, error : ndarray, shape (1, m)
        Output and per-point error ``A2 - Y`` at ``params(iteration)``.
    dW1, db1, dW2, db2 : ndarray
        The history's gradients of that update.
    slope : ndarray, shape (n_h,)
        Mean over the points of ``1 - A1**2`` for each hidden unit.
    weight : ChosenWeight
        The drawn weight with the largest ``|gradient|`` at that update.
    hard_x : ndarray, shape (n_x,)
        Where the point with the largest error (:attr:`hardest`) lies.
    hard_y : float
        That point's label.
    steps : list of int
        The iterations the replay passes through one at a time (``iteration + 1`` …).
    step_weights : list of float
        The chosen weight's value at each of ``steps``.
    replay_end : int
        The iteration the fast replay ends at.
    end_weight, end_cost : float
        The chosen weight's value and the cost at ``replay_end``.
    weights_grow : bool
        Whether the mean ``|W1|`` plus mean ``|W2|`` (every layer's mean ``|W|``) is larger at
        ``replay_end`` than at the last step.
    chain : LayerChain
        The same update through every layer (any depth; for a deeper network ``A1``, ``dW1``,
        ``db1`` are layer 1's, ``A2``, ``dW2``, ``db2``, ``error`` the output layer's, ``slope``
        the last hidden layer's, all on the update's batch).
    step : OptimizerStep
        The chosen weight's update by the run's optimiser.
    optimizer : str
    batch_size : int or None
    """

    iteration: int
    window: int
    grad_norm: float
    cost: float
    accuracy: float
    lr: float
    A1: np.ndarray  # (n_h, m)
    A2: np.ndarray  # (1, m)
    error: np.ndarray  # (1, m)
    dW1: np.ndarray  # (n_h, n_x)
    db1: np.ndarray  # (n_h, 1)
    dW2: np.ndarray  # (1, n_h)
    db2: np.ndarray  # (1, 1)
    slope: np.ndarray  # (n_h,)
    weight: ChosenWeight
    hard_x: np.ndarray  # (n_x,)
    hard_y: float
    steps: list[int]
    step_weights: list[float]
    replay_end: int
    end_weight: float
    end_cost: float
    weights_grow: bool
    chain: LayerChain
    step: OptimizerStep
    optimizer: str = "gd"
    batch_size: int | None = None
    points: int = 0
    l2: float = 0.0
    keep_prob: float = 1.0
    configured_lr: float | None = None
    """The configured learning rate when the run decays it (``lr`` is then the rate at ``iteration``)."""

    @property
    def week3(self) -> bool:
        """One hidden tanh layer, full-batch gradient descent, no regularisation: the first narration, word for word."""
        return (
            self.layers == 2
            and self.activation == "tanh"
            and self.optimizer == "gd"
            and self.batch_size is None
            and self.l2 == 0
            and self.keep_prob == 1
        )

    @property
    def layers(self) -> int:
        """``L``: the layers with parameters."""
        return self.chain.layers

    @property
    def activation(self) -> str:
        """The hidden layers' activation (config value)."""
        return self.chain.activation

    @property
    def clock(self) -> str:
        """What the history's snapshots count: "iteration" (full batch) or "epoch" (mini-batches)."""
        return "iteration" if self.batch_size is None else "epoch"

    @property
    def m(self) -> int:
        """Number of data points."""
        return int(self.A1.shape[1])

    @property
    def hidden_units(self) -> int:
        """Number of hidden units."""
        return int(self.A1.shape[0])

    @property
    def hardest(self) -> int:
        """Index of the data point with the largest ``|A2 - Y|``."""
        return int(np.argmax(np.abs(self.error[0])))

    @property
    def max_error(self) -> float:
        """The largest ``|A2 - Y|`` (that of :attr:`hardest`)."""
        return float(np.abs(self.error[0, self.hardest]))

    @property
    def wrong(self) -> int:
        """Number of points on the wrong side of 0.5 (``|A2 - Y| > 0.5``)."""
        return int(np.count_nonzero(np.abs(self.error[0]) > 0.5))

    @property
    def biggest_output_unit(self) -> int:
        """The hidden unit whose output weight has the largest ``|dW2|``."""
        return int(np.argmax(np.abs(self.dW2[0])))

    @property
    def max_dW1(self) -> float:
        """The largest ``|dW1|`` entry of the update."""
        return float(np.abs(self.dW1).max())

    @property
    def steepest_unit(self) -> int:
        """The hidden unit with the largest mean slope ``1 - A1**2`` (the least saturated)."""
        return int(np.argmax(self.slope))

    @property
    def flattest_unit(self) -> int:
        """The hidden unit with the smallest mean slope ``1 - A1**2`` (the most saturated)."""
        return int(np.argmin(self.slope))

    @property
    def replay_goes_on(self) -> bool:
        """Whether the fast replay goes past the single steps (else the run ends there)."""
        return self.replay_end > self.steps[-1]

    @property
    def cost_falls(self) -> bool:
        """Whether the cost at the end of the replay is below the cost of the update shown."""
        return self.end_cost < self.cost


def week3_run(history: History) -> bool:
    """The lecture's own kind of run: one hidden tanh layer on x1, x2, full-batch gradient descent, no L2, no dropout.

    Its numbers and narration are the segment's first ones, bit for bit; every other run takes
    the general path (:class:`LayerChain`, :class:`OptimizerStep`).
    """
    cfg = history.config
    return (
        separable_tanh(history)
        and cfg.optimizer == "gd"
        and cfg.batch_size is None
        and cfg.l2 == 0
        and cfg.keep_prob == 1
        and cfg.decay_rate == 0
    )


def slope_beat(activation: str) -> str:
    """The name of the beat that explains the activation's slope: ``tanh_slope``, ``relu_slope`` and so on."""
    return f"{activation}_slope"


def gradient_norms(history: History) -> np.ndarray:
    """Euclidean norm of all gradients of each update, shape ``(T,)``."""
    total = np.zeros(history.iterations)
    arrays = history.arrays
    for l in range(1, history.layers + 1):
        for g in (arrays[f"dW{l}"], arrays[f"db{l}"]):
            total += (g.reshape(history.iterations, -1) ** 2).sum(axis=1)
    return np.sqrt(total)


def choose_iteration(history: History, window: int = SEARCH_WINDOW) -> int:
    """The update with the largest gradient norm among the first ``window`` updates."""
    norms = gradient_norms(history)[: max(1, min(window, history.iterations))]
    return int(np.argmax(norms))


def choose_weight(
    history: History, i: int, units: list[int] | None = None, layer_units: list[list[int]] | None = None
) -> ChosenWeight:
    """The weight (of the drawn hidden ``units``) with the largest ``|gradient|`` at update ``i``.

    A deeper network: among every layer's weights between drawn units (``layer_units[l]``, the
    drawn units of layer ``l``, inputs and output included; default all).
    """
    if not week3_run(history):
        return _choose_any(history, i, layer_units)
    units = list(range(history.hidden_units)) if units is None else units
    candidates: list[tuple[float, int, int, int]] = []
    for u in units:
        for k in range(history.n_x):
            candidates.append((abs(float(history.dW1[i][u, k])), 1, u, k))
        candidates.append((abs(float(history.dW2[i][0, u])), 2, u, 0))
    _, layer, u, k = max(candidates, key=lambda c: c[0])
    if layer == 1:
        before, grad, after = history.W1[i][u, k], history.dW1[i][u, k], history.W1[i + 1][u, k]
    else:
        before, grad, after = history.W2[i][0, u], history.dW2[i][0, u], history.W2[i + 1][0, u]
    return ChosenWeight(layer, u, k, float(before), float(grad), float(after))


def _choose_any(history: History, i: int, layer_units: list[list[int]] | None) -> ChosenWeight:
    """:func:`choose_weight` for any network: the largest ``|dW|`` between drawn units, every layer."""
    sizes, arrays, L = history.sizes, history.arrays, history.layers
    shown = layer_units if layer_units is not None else [list(range(n)) for n in sizes]
    best: tuple[float, int, int, int] = (-1.0, 1, 0, 0)
    for l in range(1, L + 1):
        dW = arrays[f"dW{l}"][i]  # (n_l, n_{l-1})
        for r in shown[l]:
            for c in shown[l - 1]:
                if abs(float(dW[r, c])) > best[0]:
                    best = (abs(float(dW[r, c])), l, r, c)
    _, l, r, c = best
    step = optimizer_step(history, i, l, r, c)
    unit, k = (c, 0) if l == L else (r, c)
    return ChosenWeight(l, unit, k, step.before, step.grad, step.after, L, tuple(history.config.features))


def _mean_size(history: History, iteration: int) -> float:
    """Mean ``|W1|`` plus mean ``|W2|`` at ``iteration`` (every layer's, deeper): how large the weights are overall."""
    arrays = history.arrays
    return float(sum(np.abs(arrays[f"W{l}"][iteration]).mean() for l in range(1, history.layers + 1)))


def backprop_numbers(
    history: History, units: list[int] | None = None, layer_units: list[list[int]] | None = None
) -> BackpropNumbers:
    """Read (and forward-compute) every number the segment shows.

    Parameters
    ----------
    history : History
    units : list of int, optional
        The hidden units drawn in the diagram (the chosen weight is one of theirs); default all.
    layer_units : list of list of int, optional
        A deeper network's drawn units, layer by layer (inputs first); default all.
    """
    if not week3_run(history):
        return _any_numbers(history, layer_units if layer_units is not None else _layers_of(history, units))
    i = choose_iteration(history)
    cache = forward(history.X, history.params(i))
    T = history.iterations
    steps = [s for s in range(i + 1, i + 1 + SINGLE_STEPS) if s <= T]
    replay_end = min(T, (steps[-1] if steps else i) + FAST_FORWARD)
    error = cache.A2 - history.Y  # (1, m)
    hard = int(np.argmax(np.abs(error[0])))
    weight = choose_weight(history, i, units)
    return BackpropNumbers(
        iteration=i,
        window=min(SEARCH_WINDOW, T),
        grad_norm=float(gradient_norms(history)[i]),
        cost=float(history.cost[i]),
        accuracy=float(history.accuracy[i]),
        lr=float(history.config.learning_rate),
        A1=cache.A1,
        A2=cache.A2,
        error=error,
        dW1=history.dW1[i].copy(),
        db1=history.db1[i].copy(),
        dW2=history.dW2[i].copy(),
        db2=history.db2[i].copy(),
        slope=(1.0 - cache.A1**2).mean(axis=1),
        weight=weight,
        hard_x=np.array(history.X[:, hard]),
        hard_y=float(history.Y[0, hard]),
        steps=steps,
        step_weights=[weight_value(history, weight, s) for s in steps],
        replay_end=replay_end,
        end_weight=weight_value(history, weight, replay_end),
        end_cost=float(history.cost[replay_end]),
        weights_grow=_mean_size(history, replay_end) > _mean_size(history, steps[-1] if steps else i),
        chain=layer_chain(history, i),
        step=optimizer_step(history, i, weight.layer, *weight.row_col),
        points=history.m,
    )


def _layers_of(history: History, units: list[int] | None) -> list[list[int]] | None:
    """Every layer's drawn units when only the first hidden layer's are given (one hidden layer)."""
    if units is None:
        return None
    sizes = history.sizes
    return [list(range(sizes[0])), list(units), *[list(range(n)) for n in sizes[2:]]]


def _any_numbers(history: History, layer_units: list[list[int]] | None) -> BackpropNumbers:
    """:func:`backprop_numbers` for any network: every number from the update's own batch, masks and optimiser."""
    i = choose_iteration(history)
    chain = layer_chain(history, i)
    T = history.iterations
    steps = [s for s in range(i + 1, i + 1 + SINGLE_STEPS) if s <= T]
    replay_end = min(T, (steps[-1] if steps else i) + FAST_FORWARD)
    Y = history.Y[:, chain.batch]  # (1, m_b)
    output = chain.A[-1]  # (1, m_b)
    error = output - Y
    hard = int(np.argmax(np.abs(error[0])))
    weight = choose_weight(history, i, layer_units=layer_units)
    step = optimizer_step(history, i, weight.layer, *weight.row_col)
    cfg = history.config
    return BackpropNumbers(
        iteration=i,
        window=min(SEARCH_WINDOW, T),
        grad_norm=float(gradient_norms(history)[i]),
        cost=float(history.cost[i]),
        accuracy=float(history.accuracy[i]),
        lr=float(step.lr),
        A1=chain.A[0],
        A2=output,
        error=error,
        dW1=chain.dW[0].copy(),
        db1=chain.db[0].copy(),
        dW2=chain.dW[-1].copy(),
        db2=chain.db[-1].copy(),
        slope=chain.slope[-1],
        weight=weight,
        hard_x=np.array(plane_points(history)[:, chain.batch[hard]]),
        hard_y=float(Y[0, hard]),
        steps=steps,
        step_weights=[weight_value(history, weight, s) for s in steps],
        replay_end=replay_end,
        end_weight=weight_value(history, weight, replay_end),
        end_cost=float(history.cost[replay_end]),
        weights_grow=_mean_size(history, replay_end) > _mean_size(history, steps[-1] if steps else i),
        chain=chain,
        step=step,
        optimizer=cfg.optimizer,
        batch_size=cfg.batch_size,
        points=history.m,
        l2=float(cfg.l2),
        keep_prob=float(cfg.keep_prob),
        configured_lr=float(cfg.learning_rate) if float(step.lr) != float(cfg.learning_rate) else None,
    )


def weight_value(history: History, w: ChosenWeight, iteration: int) -> float:
    """The chosen weight's value at ``iteration``."""
    r, c = w.row_col
    return float(history.arrays[f"W{w.layer}"][iteration][r, c])


def _short(lr: float) -> bool:
    """Whether ``lr`` is written whole in three significant digits (a configured rate; a decayed one seldom is)."""
    return float(f"{lr:.3g}") == lr


def lr_text(lr: float) -> str:
    """The learning rate in TeX as written in the config (``1.2``, ``0.05``), not padded with zeros.

    A rate that learning-rate decay made (``0.000269121…``) is rounded to three digits, as any number shown.
    """
    return f"{lr:g}" if _short(lr) and "e" not in f"{lr:g}" else tex_number(lr)


def lr_words(lr: float) -> str:
    """The learning rate for a caption: as configured (:func:`caption_setting`), a decayed one rounded."""
    return caption_setting(lr) if _short(lr) else caption_number(lr)


def _decayed(n: BackpropNumbers) -> str:
    """The words after a decayed rate (", decayed from 0.000405"); empty when the run does not decay it."""
    if n.configured_lr is None:
        return ""
    return f", decayed from {caption_setting(n.configured_lr)}"


def as_factor(text: str, value: float) -> str:
    """``text`` (the written ``value``) as the right factor of a product: in parentheses if negative."""
    return f"({text})" if value < 0 else text


def captions(n: BackpropNumbers) -> dict[str, dict[str, str]]:
    """The narration of every beat, with its numbers (plain text; they become the lecture's captions).

    Written to be heard: numbers to three significant digits (the picture keeps
    :data:`WEIGHT_DIGITS` for the update's arithmetic), no gradient read out entry by entry (the
    picture shows them; the caption says the largest).

    Returns
    -------
    dict
        Beat name → its lines by name → the caption, beats in the order the scene plays them and
        a beat's lines in the order it says them (the one place the order is written).
    """
    if not n.week3:
        return _any_captions(n)
    w, i, num = n.weight, n.iteration, caption_number
    hard_class = "blue point (y = 1)" if n.hard_y > 0.5 else "red point (y = 0)"
    top = n.biggest_output_unit
    return {
        "setup": {
            "largest_gradient": (
                f"How does the cost change with each weight? We follow update {i}, "
                + (
                    f"the run's only one (gradient norm {num(n.grad_norm)})."
                    if n.window == 1
                    else f"the one with the largest gradient of the first {n.window} (norm {num(n.grad_norm)})."
                )
            ),
            "error_flows_back": (
                f"There the cost is {num(n.cost)}, with {caption_percent(n.accuracy)} of the {n.m} points right. "
                "The error flows backwards from the output."
            ),
        },
        "output_error_origin": {
            "two_slopes": (
                "Where does dZ2 come from? The log loss's slope in A2, times the sigmoid's slope, A2(1 − A2)."
            ),
            "cancel": "The fractions cancel: dZ2 = A2 − Y, prediction minus label.",
        },
        "per_point_error": {
            "error_sizes": (
                f"Here is |A2 − Y| for each point at iteration {i}, as dot size and brightness; its mean is "
                f"{num(np.abs(n.error[0]).mean())}."
            ),
            "hardest": (
                f"{_misclassified(n.wrong)} the largest error, {num(n.max_error)}, is the circled {hard_class}."
            ),
        },
        "output_layer": {
            "formula": "dW2 multiplies dZ2 by the hidden activation feeding each weight, averaged over the points.",
            "largest_gradient": (
                f"The output edges now show dW2: the largest in size, {num(n.dW2[0, top])}, is for unit {top + 1}; "
                f"db2 = {num(n.db2[0, 0], 2)}."
            ),
        },
        "tanh_slope": {
            "quotient_rule": (
                "Passing back through tanh needs its slope: the quotient rule gives tanh′ = 1 − tanh², "
                "which is just 1 − A1²."
            ),
            "mean_slopes": _slope_line(n),
        },
        "hidden_layer": {
            "formulas": (
                "dZ1 is dZ2 sent back through each weight of W2, times the slope 1 − A1². "
                "Then dW1 = dZ1 Xᵀ / m, and db1 is the mean of dZ1."
            ),
            "largest_gradient": (
                f"dW1 has one entry per weight of W1; the largest in size, {num(w.grad)}, is for {w.name}."
                if w.layer == 1
                else f"dW1 has one entry per weight of W1, the largest {num(n.max_dW1)} in size; db1 one per unit."
            ),
        },
        "update": {
            "rule": (
                f"Gradient descent moves each weight against its gradient, times the learning rate "
                f"α = {lr_words(n.lr)}{_decayed(n)}."
            ),
            "one_weight": _update_line(n),
        },
        "replay": _replay_lines(n),
    }


def _misclassified(wrong: int) -> str:
    """Which points push hardest, by how many are on the wrong side (a clause ending in a semicolon)."""
    if wrong == 0:
        return "No point is misclassified;"
    if wrong == 1:
        return "The one misclassified point pushes hardest;"
    return f"The {wrong} misclassified points push hardest;"


def _slope_line(n: BackpropNumbers) -> str:
    """The mean tanh slopes: the steepest and the flattest unit (or the single one)."""
    if n.slope.size == 1:
        return f"Averaged over the points it is {caption_number(n.slope[0])} for the single hidden unit."
    steep, flat = n.steepest_unit, n.flattest_unit
    return (
        f"Averaged over the points it is {caption_number(n.slope[steep])} for unit {steep + 1} but "
        f"{caption_number(n.slope[flat])} for unit {flat + 1}, whose tanh is more saturated."
    )


def _update_line(n: BackpropNumbers) -> str:
    """The chosen weight's update, ``before − α × gradient ≈ after``, its numbers rounded (hence ≈)."""
    w, lr = n.weight, lr_words(n.lr)
    before, grad, after = (caption_number(v) for v in (w.before, w.grad, w.after))
    return (
        f"{w.name}, {w.description}: before {before}, gradient {grad}, "
        f"after {before} {MINUS} {lr} × {as_factor(grad, w.grad)} ≈ {after}."
    )


def _replay_lines(n: BackpropNumbers) -> dict[str, str]:
    """The single steps' values of the chosen weight, then where the fast replay ends (or that the run ends)."""
    w, num = n.weight, caption_number
    first, last = n.steps[0], n.steps[-1]
    clock = n.clock
    steps_at = f"{clock} {first}" if first == last else f"{clock}s {first} to {last}"
    if clock == "epoch":
        steps_at = steps_at.replace("epochs ", "")
    values = [num(v) for v in n.step_weights]
    step_values = spoken_list(values)
    becomes = f"{w.name} becomes {step_values}"
    if not n.week3 and len(set([num(n.step.before), *values])) < len(values) + 1:
        # Steps too small for three digits: say each step's change instead.
        changes = np.diff([n.step.before, *n.step_weights])
        becomes = f"{w.name} changes by {spoken_list([_signed(c) for c in changes])}"
    if n.replay_goes_on:
        end = (
            f"On to {clock} {n.replay_end}: the weights {'grow' if n.weights_grow else 'shrink'}, {w.name} "
            f"reaches {num(n.end_weight)}, and the cost {'falls' if n.cost_falls else 'rises'} "
            f"from {num(n.cost)} to {num(n.end_cost)}."
        )
    else:
        end = f"That is the end of the run: {clock} {last}, cost {num(n.end_cost)}."
    after = "The next updates" if clock == "iteration" else "The next epochs"
    return {"single_steps": f"{after}, {steps_at}: {becomes}.", "fast_forward": end}


def _signed(value: float) -> str:
    """A change as said: "+0.000153", "−0.000221"."""
    return ("+" if value >= 0 else "") + caption_number(value)


# --- any network: every layer, the activation's slope, L2, dropout, the optimiser (issue 27) --------


@dataclass(frozen=True)
class LayerChain:
    """The backward pass of one update through every layer of any network, from the history.

    The update is the first of epoch ``epoch`` (its gradients are the history's ``dW{l}[epoch]``):
    on its mini-batch (:meth:`History.batch`), with the epoch's dropout masks of those examples,
    at the parameters of snapshot ``epoch``.

    Attributes
    ----------
    epoch : int
    update : int
        Its index among all updates (``epoch * B``).
    batch : ndarray of int, shape (m_b,)
        The training examples it used.
    activation : str
    sizes : tuple of int
        ``(n_x, n_1, ..., 1)``.
    Z, A : tuple of ndarray
        Layer ``l``'s pre-activation and what the next layer reads (after dropout), ``(n_l, m_b)``.
    dZ : tuple of ndarray
        Layer ``l``'s ``dZ`` (``1/m_b (A_L - Y)`` at the output, the course's scaling), ``(n_l, m_b)``.
    dW, db : tuple of ndarray
        The history's gradients of the update (``dW[l - 1]`` is layer ``l``'s).
    slope : tuple of ndarray
        Each hidden layer's mean ``g'(Z)`` over the batch, per unit, ``(n_l,)`` (for ReLU, the
        fraction of examples where the unit is on).
    masks : tuple of ndarray or None
        Each hidden layer's dropout mask on the batch, ``(n_l, m_b)`` bool (``None`` without dropout).
    keep_prob, l2 : float
    l2_cost : float
        The L2 term of the update's cost, ``lambda / (2 m_b) sum ||W||^2`` (0 without L2).
    cost : float
        The update's cost: log loss on its batch with its masks, plus the L2 term.
    """

    epoch: int
    update: int
    batch: np.ndarray  # (m_b,)
    activation: str
    sizes: tuple[int, ...]
    Z: tuple[np.ndarray, ...]
    A: tuple[np.ndarray, ...]
    dZ: tuple[np.ndarray, ...]
    dW: tuple[np.ndarray, ...]
    db: tuple[np.ndarray, ...]
    slope: tuple[np.ndarray, ...]
    masks: tuple[np.ndarray, ...] | None
    keep_prob: float
    l2: float
    l2_cost: float
    cost: float

    @property
    def layers(self) -> int:
        """``L``, the layers with parameters."""
        return len(self.sizes) - 1

    @property
    def m(self) -> int:
        """The update's batch size ``m_b``."""
        return int(self.batch.size)

    def kept(self, layer: int) -> float:
        """The fraction of hidden layer ``layer``'s units (over the batch) that dropout kept (1 without dropout)."""
        if self.masks is None:
            return 1.0
        return float(self.masks[layer - 1].mean())

    def dead_units(self, layer: int) -> int:
        """Units of hidden layer ``layer`` whose slope is 0 on every example of the batch (a ReLU that is off)."""
        return int(np.count_nonzero(self.slope[layer - 1] == 0))


def layer_chain(history: History, epoch: int) -> LayerChain:
    """Recompute the forward and backward pass of epoch ``epoch``'s first update (:class:`LayerChain`).

    The gradients are the history's; ``tests/test_scene_backprop.py`` checks that this pass
    recomputes them exactly (and against finite differences).
    """
    from nncore.network import cross_entropy, l2_term, slope
    from nncore.network import forward as layer_forward

    cfg = history.config
    u = epoch * history.batches_per_epoch
    batch = history.batch(u)  # (m_b,)
    X, Y = history.X[:, batch], history.Y[:, batch]  # (n_x, m_b), (1, m_b)
    net = history.net(epoch)
    L = len(net.W)
    masks = None
    if cfg.keep_prob < 1:
        masks = tuple(history.dropout_mask(l, epoch)[:, batch] for l in range(1, L))
    trace = layer_forward(X, net, cfg.activation, masks, cfg.keep_prob)
    m = X.shape[1]
    dZ: list[np.ndarray] = [np.empty(0)] * L
    dZ[L - 1] = 1.0 / m * (trace.A[-1] - Y)
    for l in range(L - 1, 0, -1):  # the course's order (nncore.network.backward)
        dA = np.dot(net.W[l].T, dZ[l])
        if masks is not None:
            dA = dA * masks[l - 1] / cfg.keep_prob
        dZ[l - 1] = np.multiply(dA, slope(trace.G[l - 1], cfg.activation))
    g = history.net_grads(epoch)
    return LayerChain(
        epoch=epoch,
        update=u,
        batch=batch,
        activation=cfg.activation,
        sizes=tuple(history.sizes),
        Z=trace.Z,
        A=trace.A,
        dZ=tuple(dZ),
        dW=tuple(np.array(w) for w in g.dW),
        db=tuple(np.array(b) for b in g.db),
        slope=tuple(np.asarray(slope(G, cfg.activation), dtype=float).mean(axis=1) for G in trace.G[:-1]),
        masks=masks,
        keep_prob=float(cfg.keep_prob),
        l2=float(cfg.l2),
        l2_cost=l2_term(net, cfg.l2, m),
        cost=cross_entropy(trace.A[-1], Y) + l2_term(net, cfg.l2, m),
    )


@dataclass(frozen=True)
class OptimizerStep:
    """One weight's update by the run's optimiser, every intermediate number of it.

    Attributes
    ----------
    optimizer : str
        ``gd``, ``momentum`` or ``adam``.
    lr : float
        The learning rate of the update (after decay).
    before, grad, after : float
        The weight, its gradient (with the L2 term) and the weight after this one update.
    l2_part : float
        The L2 term's share of ``grad``, ``lambda / m_b * before`` (0 without L2).
    v_prev, v : float
        Momentum's velocity / Adam's first moment before and after the update (0 for ``gd``).
    s_prev, s : float
        Adam's second moment before and after (0 otherwise).
    beta, beta1, beta2, epsilon : float
        The rule's constants (as configured).
    t : int
        Adam's step count of this update (from 1).
    c1, c2 : float
        Adam's bias corrections ``1 - beta1**t``, ``1 - beta2**t`` (the history's ``adam_correction1/2``).
    v_hat, s_hat : float
        ``v / c1`` and ``s / c2``.
    step : float
        ``before - after``: how far the weight moved.
    """

    optimizer: str
    lr: float
    before: float
    grad: float
    after: float
    l2_part: float
    v_prev: float = 0.0
    v: float = 0.0
    s_prev: float = 0.0
    s: float = 0.0
    beta: float = 0.0
    beta1: float = 0.0
    beta2: float = 0.0
    epsilon: float = 0.0
    t: int = 0
    c1: float = 1.0
    c2: float = 1.0

    @property
    def v_hat(self) -> float:
        """Adam's corrected first moment."""
        return self.v / self.c1

    @property
    def s_hat(self) -> float:
        """Adam's corrected second moment."""
        return self.s / self.c2

    @property
    def step(self) -> float:
        """How far the weight moved: ``before - after``."""
        return self.before - self.after


def optimizer_step(history: History, epoch: int, layer: int, row: int, col: int) -> OptimizerStep:
    """Weight ``W[layer][row, col]``'s update by the first update of epoch ``epoch``, as the optimiser computes it.

    The rule is :mod:`nncore.optimizers`' own, applied to the history's state at snapshot ``epoch``
    (its weights, the update's gradient, the velocity ``vdW`` and Adam's ``sdW``, ``adam_t`` and
    corrections); with full batches the result is the history's next snapshot, to the bit.
    """
    from nncore.network import Grads as LayerGrads
    from nncore.network import Net as LayerNet
    from nncore.optimizers import Moments, adam_step, gd_step, momentum_step

    cfg, more = history.config, history.more
    lr = float(more["learning_rates"][epoch]) if "learning_rates" in more else float(cfg.learning_rate)
    W = history.arrays[f"W{layer}"][epoch]
    dW = history.arrays[f"dW{layer}"][epoch]
    one = (W[row : row + 1, col : col + 1],)  # (1, 1): the rule on this weight alone, the same arithmetic
    g1 = LayerGrads((dW[row : row + 1, col : col + 1],), (np.zeros((1, 1)),))
    net1 = LayerNet(one, (np.zeros((1, 1)),))
    m = history.batch(epoch * history.batches_per_epoch).size
    common = dict(
        optimizer=cfg.optimizer,
        lr=lr,
        before=float(W[row, col]),
        grad=float(dW[row, col]),
        l2_part=float(cfg.l2 * W[row, col] / m) if cfg.l2 > 0 else 0.0,
    )
    if cfg.optimizer == "gd":
        return OptimizerStep(after=float(gd_step(net1, g1, lr).W[0][0, 0]), **common)  # type: ignore[arg-type]
    v_prev = more[f"vdW{layer}"][epoch][row : row + 1, col : col + 1]
    if cfg.optimizer == "momentum":
        new, state = momentum_step(net1, g1, Moments((v_prev,), (np.zeros((1, 1)),), (), ()), lr, cfg.beta)
        return OptimizerStep(
            after=float(new.W[0][0, 0]),
            v_prev=float(v_prev[0, 0]),
            v=float(state.vdW[0][0, 0]),
            beta=float(cfg.beta),
            **common,  # type: ignore[arg-type]
        )
    s_prev = more[f"sdW{layer}"][epoch][row : row + 1, col : col + 1]
    t = int(more["adam_t"][epoch]) + 1
    zero = (np.zeros((1, 1)),)
    new, state = adam_step(
        net1, g1, Moments((v_prev,), zero, (s_prev,), zero), t, lr, cfg.beta1, cfg.beta2, cfg.epsilon
    )
    return OptimizerStep(
        after=float(new.W[0][0, 0]),
        v_prev=float(v_prev[0, 0]),
        v=float(state.vdW[0][0, 0]),
        s_prev=float(s_prev[0, 0]),
        s=float(state.sdW[0][0, 0]),
        beta1=float(cfg.beta1),
        beta2=float(cfg.beta2),
        epsilon=float(cfg.epsilon),
        t=t,
        c1=float(more["adam_correction1"][epoch]),
        c2=float(more["adam_correction2"][epoch]),
        **common,  # type: ignore[arg-type]
    )


def _any_captions(n: BackpropNumbers) -> dict[str, dict[str, str]]:
    """:func:`captions` of any other run: its depth, activation, regularisation, batches and optimiser."""
    from scenes.common.model_text import ACTIVATIONS, OPTIMIZERS

    w, i, num, L = n.weight, n.iteration, caption_number, n.layers
    act = ACTIVATIONS[n.activation]
    hard_class = "blue point (y = 1)" if n.hard_y > 0.5 else "red point (y = 0)"
    top = n.biggest_output_unit
    batch = n.batch_size is not None
    which = f"the first update of epoch {i}, on a mini-batch of {count(n.m, 'point')}" if batch else f"update {i}"
    chosen = (
        "the run's only one"
        if n.window == 1
        else f"the one with the largest gradient of the first {n.window} {n.clock}s"
    )
    points = n.points or n.m
    where = ("the one point" if n.m == 1 else f"the {n.m} points") + " of the mini-batch" if batch else "each point"
    hidden = range(L - 1, 0, -1)
    order = " then ".join(str(l) for l in hidden)
    formulas = (
        f"dZ1 is dZ2 sent back through each weight of W2, times the {act.name} slope. "
        "Then dW1 = dZ1 Xᵀ / m, and db1 is the mean of dZ1."
        if L == 2
        else f"Then each hidden layer in turn, {order}: its dZ is the next layer's dZ sent back through that "
        f"layer's weights, times the {act.name} slope; its dW is dZ times the layer's inputs, over m."
    )
    lines = {
        "setup": {
            "largest_gradient": (
                f"How does the cost change with each weight? We follow {which}, {chosen} (norm {num(n.grad_norm)})."
            ),
            "error_flows_back": (
                f"There the cost is {num(n.cost)}, with {caption_percent(n.accuracy)} of the {points} points right. "
                "The error flows backwards from the output."
            ),
        },
        "output_error_origin": {
            "two_slopes": (
                f"Where does dZ{L} come from? The log loss's slope in A{L}, times the sigmoid's slope, A{L}(1 − A{L})."
            ),
            "cancel": f"The fractions cancel: dZ{L} = A{L} − Y, prediction minus label.",
        },
        "per_point_error": {
            "error_sizes": (
                f"Here is |A{L} − Y| for {where} at {n.clock} {i}, as dot size and brightness; its mean is "
                f"{num(np.abs(n.error[0]).mean())}."
            ),
            "hardest": (
                f"{_misclassified(n.wrong)} the largest error, {num(n.max_error)}, is the circled {hard_class}."
            ),
        },
        "output_layer": {
            "formula": (
                f"dW{L} multiplies dZ{L} by the activation feeding each weight, averaged over the points"
                + (f", plus λ over m times the weight itself: L2 with λ = {caption_setting(n.l2)}." if n.l2 else ".")
            ),
            "largest_gradient": (
                f"The output edges now show dW{L}: the largest in size, {num(n.dW2[0, top])}, is for unit "
                f"{top + 1}; db{L} = {num(n.db2[0, 0], 2)}."
            ),
        },
        slope_beat(n.activation): {
            "quotient_rule": _derivative_line(n.activation, L),
            "mean_slopes": _any_slope_line(n),
        },
        "hidden_layer": {
            "formulas": formulas,
            **({"dropout": _dropout_line(n)} if n.keep_prob < 1 else {}),
            "largest_gradient": (
                f"dW1 has one entry per weight of W1; the largest in size, {num(w.grad)}, is for {w.name}."
                if w.layer == 1
                else f"dW1 has one entry per weight of W1, the largest {num(n.max_dW1)} in size; db1 one per unit."
            ),
        },
        "update": {
            "rule": _rule_line(n, OPTIMIZERS[n.optimizer]),
            "one_weight": _any_update_line(n),
        },
        "replay": _replay_lines(n),
    }
    return lines


def _derivative_line(activation: str, L: int) -> str:
    """How the backward pass goes through the activation: its derivative in words."""
    a = f"A{L - 1}"
    if activation == "tanh":
        return f"Passing back through tanh needs its slope: tanh′ = 1 − tanh², which is just 1 − {a}²."
    if activation == "sigmoid":
        return f"Passing back through the sigmoid needs its slope, σ(1 − σ), which is just {a}(1 − {a})."
    if activation == "relu":
        return "Passing back through ReLU needs its slope: 1 where Z is positive, 0 where it is not."
    return "Passing back through leaky ReLU needs its slope: 1 where Z is positive, 0.01 where it is not."


def _any_slope_line(n: BackpropNumbers) -> str:
    """The last hidden layer's slopes over the update's points: the steepest and the flattest unit."""
    layer = "" if n.layers == 2 else f" of layer {n.layers - 1}"
    if n.activation in ("relu", "leaky_relu"):
        on = n.slope if n.activation == "relu" else (n.slope - 0.01) / 0.99  # the fraction of points where Z > 0
        steep, flat = int(np.argmax(on)), int(np.argmin(on))
        if n.slope.size == 1:
            return f"The single unit{layer} is on for {caption_percent(float(on[0]))} of the points."
        off = " and passes no gradient back" if on[flat] == 0 and n.activation == "relu" else ""
        return (
            f"Unit {steep + 1}{layer} is on for {caption_percent(float(on[steep]))} of the points, "
            f"unit {flat + 1} for {caption_percent(float(on[flat]))}{off}."
        )
    if n.slope.size == 1:
        return f"Averaged over the points it is {caption_number(n.slope[0])} for the single unit{layer}."
    steep, flat = n.steepest_unit, n.flattest_unit
    return (
        f"Averaged over the points it is {caption_number(n.slope[steep])} for unit {steep + 1}{layer} but "
        f"{caption_number(n.slope[flat])} for unit {flat + 1}, which is more saturated."
    )


def _dropout_line(n: BackpropNumbers) -> str:
    """Dropout in the backward pass: the mask of the update's batch."""
    kept = n.chain.kept(1)
    return (
        "Dropout's mask, the same as in the forward pass, stops the gradient at the units it dropped: "
        f"it kept {caption_percent(kept)} of the first hidden layer's on this batch."
    )


def _rule_line(n: BackpropNumbers, name: str) -> str:
    """The optimiser's rule in words, with its constants."""
    lr = lr_words(n.lr) + _decayed(n)
    if n.optimizer == "momentum":
        return (
            f"Momentum averages the gradients, v = β v + (1 − β) dW with β = {caption_setting(n.step.beta)}, "
            f"and moves each weight by α v, α = {lr}."
        )
    if n.optimizer == "adam":
        return (
            "Adam averages the gradients, v, and their squares, s, corrects both for their start at zero, "
            f"and moves each weight by α times v over the square root of s, α = {lr}."
        )
    return f"{name.capitalize()} moves each weight against its gradient, times the learning rate α = {lr}."


def _any_update_line(n: BackpropNumbers) -> str:
    """The chosen weight's update by the run's optimiser, its numbers rounded (hence ≈)."""
    w, st, num = n.weight, n.step, caption_number
    if n.optimizer == "gd":
        return _update_line(n)
    before, after = num(st.before), num(st.after)
    if before == after:  # a step too small for three digits: say the step
        moved = f"moves {'down' if st.after < st.before else 'up'} by {num(abs(st.step))} from {before}"
    else:
        moved = f"goes from {before} to {after}"
    if n.optimizer == "momentum":
        return (
            f"{w.name}: gradient {num(st.grad)}; its velocity goes from {num(st.v_prev)} to {num(st.v)}, "
            f"and the weight {moved}."
        )
    return f"{w.name}: gradient {num(st.grad)}; v becomes {num(st.v)}, s becomes {num(st.s)}, and the weight {moved}."
