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
from scenes.common.format import MINUS, caption_number, caption_percent, caption_setting, spoken_list
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
        ``W[i]``, ``dW[i]`` and ``W[i + 1]`` of that entry; ``before - lr * grad == after``.
    """

    layer: int
    unit: int
    k: int
    before: float
    grad: float
    after: float

    @property
    def tex(self) -> str:
        """TeX of the weight, e.g. ``W_{1,2}^{[1]}`` (1-based row, column)."""
        if self.layer == 1:
            return rf"W_{{{self.unit + 1},{self.k + 1}}}^{{[1]}}"
        return rf"W_{{1,{self.unit + 1}}}^{{[2]}}"

    @property
    def color(self) -> ManimColor:
        """The colour of its matrix's symbol."""
        return SYMBOL_COLORS[f"W^{{[{self.layer}]}}"]

    @property
    def name(self) -> str:
        """Plain-text name for captions, e.g. ``W1[1,2]``."""
        if self.layer == 1:
            return f"W1[{self.unit + 1},{self.k + 1}]"
        return f"W2[1,{self.unit + 1}]"

    @property
    def description(self) -> str:
        """Where the weight sits in the network, for captions."""
        if self.layer == 1:
            return f"from x{self.k + 1} to hidden unit {self.unit + 1}"
        return f"from hidden unit {self.unit + 1} to the output"


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
        Whether the mean ``|W1|`` plus mean ``|W2|`` is larger at ``replay_end`` than at the last step.
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


def gradient_norms(history: History) -> np.ndarray:
    """Euclidean norm of all gradients of each update, shape ``(T,)``."""
    total = np.zeros(history.iterations)
    for g in (history.dW1, history.db1, history.dW2, history.db2):
        total += (g.reshape(history.iterations, -1) ** 2).sum(axis=1)
    return np.sqrt(total)


def choose_iteration(history: History, window: int = SEARCH_WINDOW) -> int:
    """The update with the largest gradient norm among the first ``window`` updates."""
    norms = gradient_norms(history)[: max(1, min(window, history.iterations))]
    return int(np.argmax(norms))


def choose_weight(history: History, i: int, units: list[int] | None = None) -> ChosenWeight:
    """The weight (of the drawn hidden ``units``) with the largest ``|gradient|`` at update ``i``."""
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


def _mean_size(history: History, iteration: int) -> float:
    """Mean ``|W1|`` plus mean ``|W2|`` at ``iteration``: how large the weights are overall."""
    return float(np.abs(history.W1[iteration]).mean() + np.abs(history.W2[iteration]).mean())


def backprop_numbers(history: History, units: list[int] | None = None) -> BackpropNumbers:
    """Read (and forward-compute) every number the segment shows.

    Parameters
    ----------
    history : History
    units : list of int, optional
        The hidden units drawn in the diagram (the chosen weight is one of theirs); default all.
    """
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
    )


def weight_value(history: History, w: ChosenWeight, iteration: int) -> float:
    """The chosen weight's value at ``iteration``."""
    if w.layer == 1:
        return float(history.W1[iteration][w.unit, w.k])
    return float(history.W2[iteration][0, w.unit])


def lr_text(lr: float) -> str:
    """The learning rate as written in the config (``1.2``, ``0.05``), not padded with zeros."""
    return f"{lr:g}"


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
                f"α = {caption_setting(n.lr)}."
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
    if n.hidden_units == 1:
        return f"Averaged over the points it is {caption_number(n.slope[0])} for the single hidden unit."
    steep, flat = n.steepest_unit, n.flattest_unit
    return (
        f"Averaged over the points it is {caption_number(n.slope[steep])} for unit {steep + 1} but "
        f"{caption_number(n.slope[flat])} for unit {flat + 1}, whose tanh is more saturated."
    )


def _update_line(n: BackpropNumbers) -> str:
    """The chosen weight's update, ``before − α × gradient ≈ after``, its numbers rounded (hence ≈)."""
    w, lr = n.weight, caption_setting(n.lr)
    before, grad, after = (caption_number(v) for v in (w.before, w.grad, w.after))
    return (
        f"{w.name}, {w.description}: before {before}, gradient {grad}, "
        f"after {before} {MINUS} {lr} × {as_factor(grad, w.grad)} ≈ {after}."
    )


def _replay_lines(n: BackpropNumbers) -> dict[str, str]:
    """The single steps' values of the chosen weight, then where the fast replay ends (or that the run ends)."""
    w, num = n.weight, caption_number
    first, last = n.steps[0], n.steps[-1]
    steps_at = f"iteration {first}" if first == last else f"iterations {first} to {last}"
    step_values = spoken_list([num(v) for v in n.step_weights])
    if n.replay_goes_on:
        end = (
            f"On to iteration {n.replay_end}: the weights {'grow' if n.weights_grow else 'shrink'}, {w.name} "
            f"reaches {num(n.end_weight)}, and the cost {'falls' if n.cost_falls else 'rises'} "
            f"from {num(n.cost)} to {num(n.end_cost)}."
        )
    else:
        end = f"That is the end of the run: iteration {last}, cost {num(n.end_cost)}."
    return {"single_steps": f"The next updates, {steps_at}: {w.name} becomes {step_values}.", "fast_forward": end}
