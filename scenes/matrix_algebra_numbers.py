"""The matrix-algebra segment's numbers and narration: every number and claim the scene shows and says.

``python -c "from nncore import TrainConfig, train; from scenes.matrix_algebra_numbers import
matrix_numbers, captions; print(captions(matrix_numbers(train(TrainConfig(iterations=60))))['bias'])"``
prints the bias beat's caption for a short run.

:func:`matrix_numbers` reads from the history the initial parameters, the first
:data:`SHOWN_POINTS` data points and every product the segment (:mod:`scenes.matrix_algebra`)
multiplies out, and every claim made about them (:class:`MatrixNumbers`); :func:`captions` narrates
them, beat by beat. No drawing happens here: ``tests/test_scene_matrix_algebra.py`` checks them
without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore import History
from nncore.network import forward
from scenes.common.format import caption_number, vector_text
from scenes.common.layout import shown_rows
from scenes.common.model_text import ACTIVATIONS, FEATURE_WORDS

SHOWN_POINTS = 3
"""How many data points (columns of ``X``) are drawn; the rest are elided with ``\\cdots``."""

SHOWN_UNITS = 5
"""How many rows a matrix with one row per hidden unit draws at most: a wider layer is drawn as its
first two and last two units round a ``\\vdots`` row (:func:`scenes.common.layout.shown_rows`)."""

GUESS_BAND = 0.05
"""Predictions this close to 0.5 are narrated as guesses."""

LINEAR_TANH_BOUND = 0.2
"""``tanh`` counts as nearly the identity when every ``|Z1|`` is below this."""


# --- the numbers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixNumbers:
    """Every number the segment shows, read from one history, and every claim made about them.

    Attributes
    ----------
    iterations : int
        ``T``: the trained parameters are at index ``T``.
    n_x, n_h, m : int
    shown : int
        How many data points are drawn (the first ``shown`` columns of ``X``).
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
    W1, b1, W2, b2 : ndarray
        The initial parameters (index 0) of the first layer and of the output layer ``L`` (for one
        hidden layer, layer 2), shapes ``(n_h, n_x)``, ``(n_h, 1)``, ``(1, n_last)``, ``(1, 1)``.
    b1_trained : ndarray, shape (n_h, 1)
        ``b^{[1]}`` after the last update (index ``T``), used to show broadcasting.
    Z1, A1 : ndarray, shape (n_h, m)
    Z2, A2 : ndarray, shape (1, m)
        The forward pass of all ``m`` points with the initial parameters (the first layer, the output).
    A_last : ndarray, shape (n_last, m)
        What the output layer reads: the last hidden layer's activations (``A1`` for one hidden layer).
    sizes : tuple of int
        ``(n_x, n_1, ..., 1)``.
    activation : str
        The hidden layers' activation (its config value).
    features : tuple of str
        The inputs' names.
    entry : tuple of int
        ``(row, column)`` of the entry of ``W^{[1]}X`` worked out as a row times a column (the
        second unit and second point when there are that many).
    tanh_entry : tuple of int
        The drawn entry of ``Z^{[1]}`` with the largest magnitude (where ``tanh`` bends most): a
        drawn point and a drawn unit (:data:`SHOWN_UNITS`); for the other activations the most
        negative one, if any (where ReLU gives 0).
    epochs : bool
        The history counts epochs of mini-batches (else iterations).
    """

    iterations: int
    n_x: int
    n_h: int
    m: int
    shown: int
    X: np.ndarray
    Y: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    b1_trained: np.ndarray
    Z1: np.ndarray
    A1: np.ndarray
    Z2: np.ndarray
    A2: np.ndarray
    entry: tuple[int, int]
    tanh_entry: tuple[int, int]
    A_last: np.ndarray
    sizes: tuple[int, ...]
    activation: str
    features: tuple[str, ...]
    epochs: bool

    @property
    def layers(self) -> int:
        """``L``: the layers with parameters (the output is layer ``L``)."""
        return len(self.sizes) - 1

    @property
    def step_word(self) -> str:
        """What one history index counts: "iteration" or "epoch"."""
        return "epoch" if self.epochs else "iteration"

    @property
    def n_last(self) -> int:
        """Units of the last hidden layer, which the output layer reads."""
        return self.sizes[-2]

    @property
    def act_name(self) -> str:
        """The activation as a caption names it."""
        return ACTIVATIONS[self.activation].name

    @property
    def parameter_count(self) -> int:
        """Every weight and bias of the network: the sum of ``n_l (n_{l-1} + 1)``."""
        return sum(n * (prev + 1) for prev, n in zip(self.sizes[:-1], self.sizes[1:], strict=True))

    @property
    def drawn_columns(self) -> int:
        r"""Columns a matrix over the ``m`` points draws: the shown points, plus a ``\cdots`` if any are left."""
        return self.shown + 1 if self.m > self.shown else self.m

    # One unit, one point: z = wᵀx + b for hidden unit 1 and the first data point.

    @property
    def unit_terms(self) -> list[tuple[float, float]]:
        """``(w_k, x_k)`` for every input ``k``: unit 1's weights and the first point's coordinates."""
        return [(float(self.W1[0, k]), float(self.X[k, 0])) for k in range(self.n_x)]

    @property
    def unit_bias(self) -> float:
        """``b``: hidden unit 1's bias."""
        return float(self.b1[0, 0])

    @property
    def unit_z(self) -> float:
        """``z = wᵀx + b`` of unit 1 at the first point: entry (1, 1) of ``Z^{[1]}``."""
        return float(self.Z1[0, 0])

    # The worked entry of W1 X.

    @property
    def entry_terms(self) -> list[tuple[float, float]]:
        """``(W1[i, k], X[k, j])`` for every ``k``, ``(i, j)`` the worked :attr:`entry`."""
        i, j = self.entry
        return [(float(self.W1[i, k]), float(self.X[k, j])) for k in range(self.n_x)]

    @property
    def entry_value(self) -> float:
        """Row ``i`` of ``W^{[1]}`` times column ``j`` of ``X``, ``(i, j)`` the worked :attr:`entry`."""
        i, j = self.entry
        return float(self.W1[i] @ self.X[:, j])

    @property
    def W1X(self) -> np.ndarray:
        """``W^{[1]}X`` before the bias is added, shape (n_h, m)."""
        return self.W1 @ self.X

    @property
    def trained_bias_range(self) -> tuple[float, float]:
        """Smallest and largest entry of the trained ``b^{[1]}`` (what broadcasting adds)."""
        return float(self.b1_trained.min()), float(self.b1_trained.max())

    @property
    def b1_zero(self) -> bool:
        """Whether every initial bias of the hidden layer is exactly zero (then adding it changes nothing)."""
        return bool(np.all(self.b1 == 0))

    # tanh.

    @property
    def linear_tanh(self) -> bool:
        """Whether the activation is tanh and every ``|Z1|`` is small enough that it is nearly the identity on it."""
        return self.activation == "tanh" and bool(np.abs(self.Z1).max() < LINEAR_TANH_BOUND)

    @property
    def tanh_pair(self) -> tuple[float, float]:
        """``(z, g(z))`` at :attr:`tanh_entry`, the example of ``A^{[1]} = g(Z^{[1]})``."""
        ti, tj = self.tanh_entry
        return float(self.Z1[ti, tj]), float(self.A1[ti, tj])

    # The output layer and the predictions.

    @property
    def W2A1(self) -> np.ndarray:
        """``W^{[L]}A^{[L-1]}`` before ``b^{[L]}`` is added, shape (1, m) (``W^{[2]}A^{[1]}`` for one hidden layer)."""
        return self.W2 @ self.A_last

    @property
    def output_bias(self) -> float:
        """``b^{[2]}``, the output unit's bias."""
        return float(self.b2[0, 0])

    @property
    def output_weight_max(self) -> float:
        """The largest ``|W^{[2]}|`` entry."""
        return float(np.abs(self.W2).max())

    @property
    def guess_spread(self) -> float:
        """Largest distance of an initial prediction from 0.5, over all ``m`` points."""
        return float(np.abs(self.A2 - 0.5).max())

    @property
    def guessing(self) -> bool:
        """Whether every initial prediction is within :data:`GUESS_BAND` of 0.5."""
        return self.guess_spread < GUESS_BAND

    @property
    def prediction_range(self) -> tuple[float, float]:
        """Smallest and largest initial prediction, over all ``m`` points."""
        return float(self.A2.min()), float(self.A2.max())


def matrix_numbers(history: History, shown_points: int = SHOWN_POINTS) -> MatrixNumbers:
    """Compute what the segment shows from ``history``: initial parameters and their forward pass.

    Parameters
    ----------
    history : History
    shown_points : int
        Number of drawn data points (decides which entries are worked out).

    Returns
    -------
    MatrixNumbers
    """
    net, act = history.net(0), history.config.activation
    c = forward(history.X, net, act)
    Z1, A1, Z2, A2 = c.Z[0], c.A[0], c.Z[-1], c.A[-1]  # (n_h, m), (n_h, m), (1, m), (1, m)
    shown = min(shown_points, history.m)
    entry = (min(1, history.hidden_units - 1), min(1, shown - 1))
    units, _ = shown_rows(history.hidden_units, SHOWN_UNITS)
    drawn = np.abs(Z1[units, :shown])  # (drawn units, shown)
    if act != "tanh" and np.any(Z1[units, :shown] < 0):  # ReLU's and the others' bend is below 0: the most negative
        drawn = -Z1[units, :shown]
    row, col = np.unravel_index(int(np.argmax(drawn)), drawn.shape)
    tanh_entry = (units[int(row)], int(col))
    return MatrixNumbers(
        iterations=history.iterations,
        n_x=history.n_x,
        n_h=history.hidden_units,
        m=history.m,
        shown=shown,
        X=np.array(history.X),
        Y=np.array(history.Y),
        W1=np.array(net.W[0]),
        b1=np.array(net.b[0]),
        W2=np.array(net.W[-1]),
        b2=np.array(net.b[-1]),
        b1_trained=np.array(history.b1[history.iterations]),
        Z1=Z1,
        A1=A1,
        Z2=Z2,
        A2=A2,
        entry=entry,
        tanh_entry=tanh_entry,
        A_last=c.A[-2],
        sizes=tuple(history.sizes),
        activation=act,
        features=tuple(history.config.features),
        epochs=history.config.batch_size is not None,
    )


# --- the captions --------------------------------------------------------------------------------


LISTED = 4
"""A caption reads out a vector of at most this many values; a longer one by its range."""


def _values(values: np.ndarray, digits: int = 3) -> str:
    """``(v1, v2, …)`` for at most :data:`LISTED` values, else ``from lo to hi``."""
    flat = np.ravel(values)
    if flat.size <= LISTED:
        return vector_text(flat, digits)
    return f"from {caption_number(flat.min(), digits)} to {caption_number(flat.max(), digits)}"


def _one_unit_caption(n: MatrixNumbers) -> str:
    w = vector_text((a for a, _ in n.unit_terms), 2)
    x = vector_text(b for _, b in n.unit_terms)
    b = caption_number(n.unit_bias, exact_zero=True)
    return (
        f"Hidden unit 1 weighs each input and adds its bias: z = wᵀx + b. With its initial weights w = {w} "
        f"and b = {b}, the first data point x = {x}: z ≈ {caption_number(n.unit_z, 1)}."
    )


def _row_times_column_caption(n: MatrixNumbers) -> str:
    i, j = n.entry
    return (
        f"Each entry of W1 X is a row of W1 times a column of X: row 1 times column 1 is our "
        f"{caption_number(n.unit_z, 1)}, and row {i + 1} times column {j + 1} gives "
        f"{caption_number(n.entry_value, 2)}."
    )


def _bias_caption(n: MatrixNumbers) -> str:
    if n.b1_zero:
        return (
            f"Then add b1. At iteration 0 every bias is exactly 0, so adding it changes nothing yet: "
            f"Z1 = W1 X, still {n.n_h} × {n.m}."
        )
    return f"Then add b1 = {_values(n.b1)} to every column: Z1 = W1 X + b1, still {n.n_h} × {n.m}."


def _broadcast_caption(n: MatrixNumbers) -> str:
    lo, hi = n.trained_bias_range
    entries = (
        f"its entries run from {caption_number(lo)} to {caption_number(hi)}"
        if lo != hi
        else (f"every entry is {caption_number(lo)}")
    )
    return (
        f"To see what adding b1 does, take the trained one, from {n.step_word} {n.iterations}: {entries}. "
        f"NumPy adds this one column to each of the {n.m} columns; that is broadcasting."
    )


ACTIVATION_CLAIMS = {
    "relu": "keeping a positive entry and turning a negative one into 0",
    "leaky_relu": "keeping a positive entry and multiplying a negative one by 0.01",
    "sigmoid": "squashing it between 0 and 1",
}
"""What each activation but tanh does to an entry, as the activation beat says it."""


def _tanh_caption(n: MatrixNumbers) -> str:
    z, a = n.tanh_pair
    if n.activation != "tanh":
        name = n.act_name
        return (
            f"A1 = {name}(Z1) acts on each entry separately, {ACTIVATION_CLAIMS[n.activation]}: "
            f"{name}({caption_number(z)}) = {caption_number(a, exact_zero=True)}."
        )
    example = f"tanh({caption_number(z)}) {'≈' if n.linear_tanh else '='} {caption_number(a)}."
    if n.linear_tanh:
        return (
            f"A1 = tanh(Z1) acts on each entry separately. Near 0 tanh is almost a straight line, so with "
            f"the small initial weights A1 ≈ Z1: {example}"
        )
    return f"A1 = tanh(Z1) acts on each entry separately, squashing it between −1 and 1: {example}"


def _output_layer_caption(n: MatrixNumbers) -> str:
    L, k = n.layers, n.n_last
    return (
        f"The output layer repeats the pattern: W{L} (1 × {k}) times A{L - 1} ({k} × {n.m}), plus "
        f"b{L} = {caption_number(n.output_bias, exact_zero=True)}, gives Z{L} (1 × {n.m}), one number per point. "
        f"The largest |W{L}| is {caption_number(n.output_weight_max)}."
    )


def _layers_caption(n: MatrixNumbers) -> str:
    """The shapes table of a deeper network: each layer's W reads the layer before it."""
    parts = [
        f"W{l} is {n.sizes[l]} × {n.sizes[l - 1]}, from the {n.sizes[l - 1]} values of layer {l - 1}"
        for l in range(2, n.layers)
    ]
    middle = "; ".join(parts)
    return (
        f"Every hidden layer repeats the pattern with its own weights: {middle}. "
        f"With the output's, {n.parameter_count} weights and biases in all."
    )


def _sigmoid_caption(n: MatrixNumbers) -> str:
    if n.guessing:
        where = (
            "are exactly 0.5"
            if n.guess_spread == 0
            else f"lie within {caption_number(n.guess_spread, 1, bound='up')} of 0.5"
        )
        spread = f"All {n.m} {where}, while every label is 0 or 1: the untrained network is guessing."
    else:
        low, high = n.prediction_range
        spread = f"They range from {caption_number(low)} to {caption_number(high)}."
    return f"σ turns each entry into the probability of class 1. {spread}"


def _inputs(n: MatrixNumbers) -> str:
    """What a column of X holds, for a caption: nothing said for the two coordinates, else the features."""
    if n.features == ("x1", "x2"):
        return ""
    if len(n.features) > 3:
        return f", each column a point's {len(n.features)} features"
    names = [FEATURE_WORDS[f] for f in n.features]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return f", each column a point's inputs {listed}"


def _summary_caption(n: MatrixNumbers) -> str:
    if n.layers == 2:
        return (
            f"Four matrix lines compute the predictions for all {n.m} points at once. "
            f"Next, one point travels through the network."
        )
    return (
        f"Two matrix lines a layer, {2 * n.layers} in all for its {n.layers} layers, compute the predictions "
        f"for all {n.m} points at once. Next, one point travels through the network."
    )


def _stacked_units(n: MatrixNumbers) -> str:
    """How the hidden units' weights become W1: stacked, or (one unit) its row alone."""
    if n.n_h == 1:
        return "The single hidden unit's weight row is"
    return f"Stack the {n.n_h} hidden units' weight rows into"


def captions(n: MatrixNumbers) -> dict[str, str]:
    """The narration of every beat, in order, with the real numbers filled in.

    Parameters
    ----------
    n : MatrixNumbers

    Returns
    -------
    dict
        Beat name → caption.
    """
    caps = {
        "one_unit": _one_unit_caption(n),
        "stack": (
            f"{_stacked_units(n)} W1 ({n.n_h} × {n.n_x}), and the {n.m} data "
            f"points side by side as the columns of X ({n.n_x} × {n.m}){_inputs(n)}; the first {n.shown} are drawn."
        ),
        "row_times_column": _row_times_column_caption(n),
        "shapes": (
            f"The shapes must fit: ({n.n_h} × {n.n_x}) times ({n.n_x} × {n.m}) gives {n.n_h} × {n.m}, as the "
            "inner sizes match: one row per hidden unit, one column per data point."
        ),
        "bias": _bias_caption(n),
        "broadcast": _broadcast_caption(n),
        "tanh": _tanh_caption(n),
    }
    if n.layers > 2:
        caps["layers"] = _layers_caption(n)
    caps["output_layer"] = _output_layer_caption(n)
    caps["sigmoid"] = _sigmoid_caption(n)
    caps["summary"] = _summary_caption(n)
    return caps
