r"""``manim render scenes/matrix_algebra.py``: from one hidden unit's z = wᵀx + b to the whole layer.

Segment *The data as matrices* of the lecture (``-ql`` for a quick 480p preview). With the real
initial parameters of the history and its first few real data points it shows

1. one hidden unit: ``z = wᵀx + b`` for the first data point, multiplied out;
2. the units stacked into ``W^{[1]}`` and the points side by side in ``X``;
3. one entry of ``W^{[1]}X`` as a row times a column;
4. the shapes check ``(n_h × n_x)(n_x × m) → (n_h × m)``;
5. the bias ``b^{[1]}``: exactly zero at iteration 0, so it changes nothing yet;
6. broadcasting, made visible with the trained ``b^{[1]}`` added to every column;
7. ``tanh`` entry by entry (almost the identity for such small values);
8. the output layer ``Z^{[2]} = W^{[2]}A^{[1]} + b^{[2]}``;
9. ``σ`` giving ``A^{[2]}``, next to the labels ``Y``;
10. the four lines of the forward pass, with their shapes.

Every number comes from the history (:func:`scenes.common.load_history`, ``$NN_HISTORY``);
:func:`matrix_numbers` computes them and :func:`captions` narrates them, both free of Manim
state so that ``tests/test_scene_matrix_algebra.py`` can check them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    FadeTransform,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    Scene,
    Text,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
)

from nncore import History
from nncore.model import forward
from scenes.common import (
    HIGHLIGHT,
    MUTED,
    SYMBOL_COLORS,
    TEXT,
    ValueMatrix,
    fmt,
    formula,
    load_history,
    tex_number,
)
from scenes.common.narration import Narrated

SHOWN_POINTS = 3
"""How many data points (columns of ``X``) are drawn; the rest are elided with ``\\cdots``."""

GUESS_BAND = 0.05
"""Predictions this close to 0.5 are narrated as guesses."""

HEADING_SIZE = 40
BODY_SIZE = 36
MATRIX_SIZE = 28
LABEL_SIZE = 30


@dataclass(frozen=True)
class MatrixNumbers:
    """Every number the segment shows, read from one history.

    Attributes
    ----------
    iterations : int
        ``T``: the trained parameters are at index ``T``.
    n_x, n_h, m : int
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
    W1, b1, W2, b2 : ndarray
        The initial parameters (index 0), shapes ``(n_h, n_x)``, ``(n_h, 1)``, ``(1, n_h)``, ``(1, 1)``.
    b1_trained : ndarray, shape (n_h, 1)
        ``b^{[1]}`` after the last update (index ``T``), used to show broadcasting.
    Z1, A1 : ndarray, shape (n_h, m)
    Z2, A2 : ndarray, shape (1, m)
        The forward pass of all ``m`` points with the initial parameters.
    entry : tuple of int
        ``(row, column)`` of the entry of ``W^{[1]}X`` worked out as a row times a column (the
        second unit and second point when there are that many).
    tanh_entry : tuple of int
        The drawn entry of ``Z^{[1]}`` with the largest magnitude (where ``tanh`` bends most).
    """

    iterations: int
    n_x: int
    n_h: int
    m: int
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

    @property
    def linear_tanh(self) -> bool:
        """Whether every ``|Z1|`` is small enough (< 0.2) that ``tanh`` is nearly the identity on it."""
        return bool(np.abs(self.Z1).max() < 0.2)

    @property
    def guess_spread(self) -> float:
        """Largest distance of an initial prediction from 0.5, over all ``m`` points."""
        return float(np.abs(self.A2 - 0.5).max())

    @property
    def guessing(self) -> bool:
        """Whether every initial prediction is within :data:`GUESS_BAND` of 0.5."""
        return self.guess_spread < GUESS_BAND


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
    p = history.params(0)
    c = forward(history.X, p)
    shown = min(shown_points, history.m)
    entry = (min(1, history.hidden_units - 1), min(1, shown - 1))
    drawn = np.abs(c.Z1[:, :shown])  # (n_h, shown)
    tanh_entry = tuple(int(v) for v in np.unravel_index(int(np.argmax(drawn)), drawn.shape))
    return MatrixNumbers(
        iterations=history.iterations,
        n_x=history.n_x,
        n_h=history.hidden_units,
        m=history.m,
        X=np.array(history.X),
        Y=np.array(history.Y),
        W1=np.array(p.W1),
        b1=np.array(p.b1),
        W2=np.array(p.W2),
        b2=np.array(p.b2),
        b1_trained=np.array(history.b1[history.iterations]),
        Z1=c.Z1,
        A1=c.A1,
        Z2=c.Z2,
        A2=c.A2,
        entry=entry,
        tanh_entry=(tanh_entry[0], tanh_entry[1]),
    )


def _c(value: float, digits: int = 3) -> str:
    """A number as the captions write it: :func:`fmt` with a typographic minus (as every segment does)."""
    return fmt(value, digits).replace("-", "\u2212")


def _vec(values: np.ndarray, digits: int = 3) -> str:
    """``(v1, v2, …)`` for a caption."""
    return "(" + ", ".join(_c(v, digits) for v in np.ravel(values)) + ")"


def captions(n: MatrixNumbers, shown_points: int = SHOWN_POINTS) -> dict[str, str]:
    """The narration of every beat, in order, with the real numbers filled in.

    Parameters
    ----------
    n : MatrixNumbers
    shown_points : int

    Returns
    -------
    dict
        Beat name → caption.
    """
    shown = min(shown_points, n.m)
    i, j = n.entry
    ti, tj = n.tanh_entry
    w, x = n.W1[0], n.X[:, 0]
    products = " + ".join(f"({_c(w[k])})({_c(x[k])})" for k in range(n.n_x))
    b1_zero = bool(np.all(n.b1 == 0))
    entry_products = " + ".join(f"({_c(n.W1[i, k])})({_c(n.X[k, j])})" for k in range(n.n_x))
    labels = ", ".join(_c(v, 1) if v in (0.0, 1.0) else _c(v) for v in n.Y[0, :shown])
    return {
        "one_unit": (
            f"Hidden unit 1 weighs each input and adds its bias: z = wᵀx + b. With its initial weights "
            f"w = {_vec(w)}, the first data point x = {_vec(x)} and b = {_num(n.b1[0, 0])}, "
            f"z = {products} + {_num(n.b1[0, 0])} = {_c(n.Z1[0, 0])}."
        ),
        "stack": (
            f"Stack the {n.n_h} hidden units' weight rows into W1 ({n.n_h} × {n.n_x}), and put the "
            f"data points side by side as the columns of X ({n.n_x} × {n.m}); the first {shown} are drawn."
        ),
        "row_times_column": (
            f"Each entry of W1 X is a row of W1 times a column of X. Row 1 times column 1 is our "
            f"{_c(n.Z1[0, 0])}; row {i + 1} times column {j + 1} is {entry_products} = "
            f"{_c(n.W1[i] @ n.X[:, j])}."
        ),
        "shapes": (
            f"The shapes must fit: ({n.n_h} × {n.n_x}) times ({n.n_x} × {n.m}) — the inner {n.n_x}s match — "
            f"gives {n.n_h} × {n.m}: one row per hidden unit, one column per data point."
        ),
        "bias": (
            (
                f"Then add b1. At iteration 0 every bias is exactly 0, so adding it changes nothing yet: "
                f"Z1 = W1 X, still {n.n_h} × {n.m}."
            )
            if b1_zero
            else (f"Then add b1 = {_vec(n.b1)} to every column: Z1 = W1 X + b1, still {n.n_h} × {n.m}.")
        ),
        "broadcast": (
            f"To see what adding b1 does, take the trained one (iteration {n.iterations}): "
            f"{_vec(n.b1_trained)}. NumPy adds this single column to every one of the {n.m} columns; "
            f"that is broadcasting."
        ),
        "tanh": (
            f"A1 = tanh(Z1) acts on each entry separately. Near 0 tanh is almost a straight line, so with "
            f"the small initial weights A1 ≈ Z1: tanh({_c(n.Z1[ti, tj], 4)}) = {_c(n.A1[ti, tj], 4)}."
            if n.linear_tanh
            else f"A1 = tanh(Z1) acts on each entry separately, squashing it into (−1, 1): "
            f"tanh({_c(n.Z1[ti, tj], 4)}) = {_c(n.A1[ti, tj], 4)}."
        ),
        "output_layer": (
            f"The output layer repeats the pattern: W2 = {_vec(n.W2)} is 1 × {n.n_h}, times A1 "
            f"({n.n_h} × {n.m}), plus b2 = {_num(n.b2[0, 0])}"
            f", gives Z2, 1 × {n.m}: "
            f"{_vec(n.Z2[0, :shown])}, …"
        ),
        "sigmoid": (
            f"σ turns each entry into the probability of class 1: A2 = {_vec(n.A2[0, :shown], 5)}, … "
            + (
                f"All {n.m} lie within {_c(n.guess_spread, 2)} of 0.5: the untrained network is guessing. "
                if n.guessing
                else f"They range from {_c(float(n.A2.min()))} to {_c(float(n.A2.max()))}. "
            )
            + f"The labels of these points are {labels}."
        ),
        "summary": (
            f"Four matrix lines compute the predictions for all {n.m} points at once. "
            f"Next, one point travels through the network."
        ),
    }


def _num(value: float, digits: int = 3) -> str:
    """A caption number: an exact zero is written ``0`` (it is exactly zero, not rounded)."""
    return "0" if value == 0 else _c(value, digits)


def _tex(value: float, digits: int = 3) -> str:
    """TeX of :func:`_num`."""
    return "0" if value == 0 else tex_number(value, digits)


def _digits(values: np.ndarray, digits: int = 3) -> int:
    """Significant digits for a :class:`ValueMatrix`: 1 when every value is exactly 0 (drawn ``0``)."""
    return 1 if np.all(np.asarray(values) == 0) else digits


def _align_columns(target: ValueMatrix, reference: ValueMatrix) -> ValueMatrix:
    """Move ``target``'s drawn columns under/over ``reference``'s (same number of columns), brackets too.

    Used for the product laid out with ``X`` above ``W X``: column ``j`` of ``X`` then sits right above
    column ``j`` of the product, so "row times column" reads off the picture.
    """
    entries = target.matrix.get_entries()
    left, right = target.matrix.get_brackets()
    gap_left = entries.get_left()[0] - left.get_right()[0]
    gap_right = right.get_left()[0] - entries.get_right()[0]
    for col, ref in zip(target.matrix.get_columns(), reference.matrix.get_columns(), strict=True):
        col.shift((ref.get_x() - col.get_x()) * RIGHT)
    left.shift((entries.get_left()[0] - gap_left - left.get_right()[0]) * RIGHT)
    right.shift((entries.get_right()[0] + gap_right - right.get_left()[0]) * RIGHT)
    if target.shape_label is not None:
        target.shape_label.match_x(target.matrix)
    return target


def _fit_width(group: VGroup, max_width: float = 13.2) -> VGroup:
    """Centre ``group`` horizontally and shrink it if it would leave the frame (long numbers, many units)."""
    if group.width > max_width:
        group.scale(max_width / group.width)
    return group.shift(-group.get_x() * RIGHT)


def _heading(text: str) -> Text:
    return Text(text, font_size=HEADING_SIZE, color=TEXT).to_edge(UP, buff=0.3)


def _paren(value: float, digits: int = 3) -> str:
    return rf"\left({tex_number(value, digits)}\right)"


class MatrixAlgebra(Narrated, Scene):
    """From one hidden unit to the whole layer, with the real initial parameters."""

    def construct(self) -> None:
        """Play the beats in order (see the module docstring)."""
        self.camera.background_color = "#000000"
        n = matrix_numbers(load_history())
        cap = captions(n)
        colors = SYMBOL_COLORS
        shown = min(SHOWN_POINTS, n.m)
        max_cols = shown + 1 if n.m > shown else n.m

        # --- 1. one hidden unit ----------------------------------------------------------------
        heading = _heading("One hidden unit")
        general = MathTex(r"z = w^{\top} x + b", font_size=44, color=TEXT).next_to(heading, DOWN, buff=0.45)
        w_row = ValueMatrix(n.W1[:1], font_size=MATRIX_SIZE + 4, color=colors["W^{[1]}"], show_shape=False)
        x_col = ValueMatrix(n.X[:, :1], font_size=MATRIX_SIZE + 4, color=colors["X"], show_shape=False)
        plus_b = MathTex("+", _tex(n.b1[0, 0]), font_size=BODY_SIZE, color=TEXT)
        plus_b[1].set_color(colors["b^{[1]}"])
        plus_b[1].shift(0.12 * RIGHT)
        z_eq = MathTex("z =", font_size=BODY_SIZE, color=TEXT)
        one_line = VGroup(z_eq, w_row, x_col, plus_b).arrange(RIGHT, buff=0.25).move_to(0.8 * UP)
        w_note = MathTex(r"w^{\top}:\ \text{row 1 of }", "W^{[1]}", font_size=26, color=MUTED)
        w_note[1].set_color(colors["W^{[1]}"])
        x_note = MathTex(r"x:\ \text{column 1 of }", "X", font_size=26, color=MUTED)
        x_note[1].set_color(colors["X"])
        b_note = MathTex(r"b:\ \text{entry 1 of }", "b^{[1]}", font_size=26, color=MUTED)
        b_note[1].set_color(colors["b^{[1]}"])
        notes = VGroup(w_note, x_note, b_note).arrange(RIGHT, buff=0.6).next_to(one_line, DOWN, buff=0.35)
        w, x = n.W1[0], n.X[:, 0]
        expanded = MathTex(
            "= " + " + ".join(rf"{_paren(w[k])}{_paren(x[k])}" for k in range(n.n_x)) + rf" + {_tex(n.b1[0, 0])}",
            font_size=BODY_SIZE,
            color=TEXT,
        )
        result = MathTex("=", tex_number(n.Z1[0, 0]), font_size=BODY_SIZE + 4, color=TEXT)
        result[1].set_color(colors["Z^{[1]}"])
        expanded.next_to(notes, DOWN, buff=0.45)
        result.next_to(expanded, DOWN, buff=0.3)
        for mob in (one_line, notes, expanded):
            _fit_width(mob)
        with self.beat("one_unit", cap["one_unit"]):
            self.play(FadeIn(heading, shift=0.2 * DOWN), Write(general), run_time=1.5)
            self.play(FadeIn(one_line), run_time=1.5)
            self.play(FadeIn(notes), run_time=1.0)
            self.play(Write(expanded), run_time=2.0)
            self.play(Write(result), run_time=1.0)

        # --- 2. stack into W1 and X (the product laid out with X above, W left of W X) -------------
        heading2 = _heading("All hidden units at once")
        layer_eq = formula(r"Z^{[1]} = W^{[1]} X + b^{[1]}", font_size=BODY_SIZE).next_to(heading2, DOWN, buff=0.3)
        W = ValueMatrix(n.W1, font_size=MATRIX_SIZE, color=colors["W^{[1]}"])
        X = ValueMatrix(n.X, font_size=MATRIX_SIZE, color=colors["X"], max_cols=max_cols)
        WX = ValueMatrix(n.W1 @ n.X, font_size=MATRIX_SIZE, color=colors["Z^{[1]}"], max_cols=max_cols)
        WX.move_to([1.6, -1.25, 0])
        W.next_to(WX, LEFT, buff=0.45)
        # Rows of W and of W X line up (same row spacing): shift W so their first rows match.
        W.shift((WX.row(0).get_y() - W.row(0).get_y()) * UP)
        X.next_to(WX, UP, buff=0.25)
        _align_columns(X, WX)
        W_label = formula("W^{[1]}", font_size=LABEL_SIZE).next_to(W.matrix, UP, buff=0.3)
        X_label = formula("X", font_size=LABEL_SIZE).next_to(X.matrix, RIGHT, buff=0.3)
        WX_label = formula("W^{[1]} X", font_size=LABEL_SIZE).next_to(WX.matrix, RIGHT, buff=0.3)
        _fit_width(VGroup(W, X, WX, W_label, X_label, WX_label))
        with self.beat("stack", cap["stack"]):
            self.play(
                FadeOut(VGroup(general, notes, expanded, result, z_eq, plus_b)),
                FadeTransform(heading, heading2),
                run_time=1.0,
            )
            self.play(Write(layer_eq), run_time=1.0)
            self.play(
                ReplacementTransform(w_row.matrix.get_entries(), W.row(0)),
                FadeOut(w_row.matrix.get_brackets()),
                ReplacementTransform(x_col.matrix.get_entries(), X.column(0)),
                FadeOut(x_col.matrix.get_brackets()),
                run_time=1.5,
            )
            rest_W = VGroup(*[W.row(r) for r in range(1, n.n_h)], W.matrix.get_brackets(), W.shape_label)
            first_col = {id(e) for e in X.column(0)}
            rest_X = VGroup(
                *[e for e in X.matrix.get_entries() if id(e) not in first_col],
                X.matrix.get_brackets(),
                X.shape_label,
            )
            self.play(FadeIn(rest_W), FadeIn(W_label), run_time=1.2)
            self.play(FadeIn(rest_X), FadeIn(X_label), run_time=1.2)

        # --- 3. one entry = row times column ------------------------------------------------------
        i, j = n.entry
        row0, col0, ent0 = W.highlight_row(0), X.highlight_column(0), WX.highlight_entry(0, 0)
        first_entry_note = MathTex(
            r"\text{row 1} \cdot \text{column 1} = ",
            tex_number(n.Z1[0, 0]),
            r"\ \text{(unit 1, as before)}",
            font_size=BODY_SIZE - 4,
            color=TEXT,
        ).to_edge(DOWN, buff=0.35)
        first_entry_note[1].set_color(colors["Z^{[1]}"])
        entry_line = MathTex(
            rf"\text{{row {i + 1}}} \cdot \text{{column {j + 1}}} = "
            + " + ".join(rf"{_paren(n.W1[i, k])}{_paren(n.X[k, j])}" for k in range(n.n_x))
            + " = ",
            tex_number(float(n.W1[i] @ n.X[:, j])),
            font_size=BODY_SIZE - 4,
            color=TEXT,
        ).to_edge(DOWN, buff=0.35)
        entry_line[1].set_color(colors["Z^{[1]}"])
        _fit_width(entry_line)
        with self.beat("row_times_column", cap["row_times_column"]):
            self.play(Create(row0), Create(col0), run_time=1.0)
            self.play(
                FadeIn(VGroup(*[e for e in WX.matrix.get_entries()]), lag_ratio=0.05),
                FadeIn(WX.matrix.get_brackets()),
                FadeIn(WX.shape_label),
                FadeIn(WX_label),
                run_time=1.5,
            )
            self.play(Create(ent0), FadeIn(first_entry_note), run_time=1.0)
            self.wait(2.0)
            self.play(
                Transform(row0, W.highlight_row(i)),
                Transform(col0, X.highlight_column(j)),
                Transform(ent0, WX.highlight_entry(i, j)),
                FadeOut(first_entry_note),
                run_time=1.0,
            )
            self.play(Write(entry_line), run_time=1.5)

        # --- 4. shapes ----------------------------------------------------------------------------
        shapes_general = MathTex(
            r"(n_h \times ", "n_x", r")\,(", "n_x", r"\times m) \to (n_h \times m)", font_size=BODY_SIZE - 4, color=TEXT
        )
        shapes_real = MathTex(
            rf"({n.n_h} \times ",
            f"{n.n_x}",
            r")\,(",
            f"{n.n_x}",
            rf"\times {n.m}) \to ({n.n_h} \times {n.m})",
            font_size=BODY_SIZE - 4,
            color=TEXT,
        )
        for mob in (shapes_general, shapes_real):
            mob[1].set_color(HIGHLIGHT)
            mob[3].set_color(HIGHLIGHT)
        shapes = _fit_width(VGroup(shapes_general, shapes_real).arrange(RIGHT, buff=1.0).to_edge(DOWN, buff=0.35))
        shape_boxes = VGroup(*[m.shape_label.copy().set_color(HIGHLIGHT) for m in (W, X, WX)])
        with self.beat("shapes", cap["shapes"]):
            self.play(FadeOut(VGroup(row0, col0, ent0, entry_line)), run_time=0.8)
            self.play(Write(shapes_general), run_time=1.5)
            self.play(
                LaggedStart(*[Transform(m.shape_label, b) for m, b in zip((W, X, WX), shape_boxes, strict=True)]),
                run_time=1.5,
            )
            self.play(Write(shapes_real), run_time=1.5)

        # --- 5. the bias, zero at the start ------------------------------------------------------
        heading3 = _heading("Adding the bias")
        WX_b = WX.copy()
        WX_b.shape_label.set_color(MUTED)
        b_col = ValueMatrix(n.b1, digits=_digits(n.b1), font_size=MATRIX_SIZE, color=colors["b^{[1]}"])
        plus = MathTex("+", font_size=BODY_SIZE, color=TEXT)
        equals = formula(r"= Z^{[1]}", font_size=BODY_SIZE)
        VGroup(WX_b, plus, b_col, equals).arrange(RIGHT, buff=0.35).move_to(0.3 * DOWN)
        WX_b_label = formula("W^{[1]} X", font_size=LABEL_SIZE).next_to(WX_b.matrix, UP, buff=0.3)
        b_label = formula(r"b^{[1]}", font_size=LABEL_SIZE).next_to(b_col.matrix, UP, buff=0.3)
        _fit_width(VGroup(WX_b, plus, b_col, equals, WX_b_label, b_label))
        b_zero = bool(np.all(n.b1 == 0))
        bias_note = MathTex(
            r"\text{at iteration 0 every bias is exactly 0}" if b_zero else r"\text{the initial biases}",
            font_size=BODY_SIZE - 4,
            color=MUTED,
        ).to_edge(DOWN, buff=0.5)
        with self.beat("bias", cap["bias"]):
            self.play(
                FadeOut(VGroup(W, X, W_label, X_label, WX_label, shapes)),
                FadeTransform(heading2, heading3),
                run_time=1.0,
            )
            self.play(ReplacementTransform(WX, WX_b), FadeIn(WX_b_label), run_time=1.2)
            self.play(FadeIn(plus), FadeIn(b_col), FadeIn(b_label), run_time=1.2)
            self.play(FadeIn(bias_note), run_time=0.8)
            self.play(Write(equals), run_time=1.0)

        # --- 6. broadcasting, with the trained b1 -------------------------------------------------
        heading4 = _heading("Broadcasting the bias")
        bt = ValueMatrix(n.b1_trained, font_size=MATRIX_SIZE + 2, color=colors["b^{[1]}"])
        spread_values = np.repeat(n.b1_trained, n.m, axis=1)  # (n_h, m)
        spread = ValueMatrix(spread_values, font_size=MATRIX_SIZE + 2, color=colors["b^{[1]}"], max_cols=max_cols)
        arrow = Arrow(LEFT, RIGHT, color=MUTED, buff=0).scale(0.8)
        VGroup(bt, arrow, spread).arrange(RIGHT, buff=0.6).move_to(0.1 * DOWN)
        bt_label = MathTex(
            r"b^{[1]}", rf"\ \text{{after {n.iterations} iterations}}", font_size=LABEL_SIZE, color=TEXT
        ).next_to(bt.matrix, UP, buff=0.35)
        bt_label[0].set_color(colors["b^{[1]}"])
        spread_label = MathTex(rf"\text{{the same column, {n.m} times}}", font_size=LABEL_SIZE, color=TEXT)
        spread_label.next_to(spread.matrix, UP, buff=0.35)
        _fit_width(VGroup(bt, arrow, spread, bt_label, spread_label))
        bc_note = formula(
            r"W^{[1]} X + b^{[1]}: \text{ the column } b^{[1]} \text{ is added to every column}",
            font_size=BODY_SIZE - 4,
        ).to_edge(DOWN, buff=0.5)
        with self.beat("broadcast", cap["broadcast"]):
            self.play(
                FadeOut(VGroup(WX_b, plus, b_col, equals, WX_b_label, b_label, bias_note)),
                FadeTransform(heading3, heading4),
                run_time=1.0,
            )
            self.play(FadeIn(bt), FadeIn(bt_label), run_time=1.2)
            self.play(Create(arrow), FadeIn(spread.matrix.get_brackets()), FadeIn(spread_label), run_time=1.0)
            self.play(
                LaggedStart(
                    *[TransformFromCopy(bt.column(0), spread.column(c)) for c in range(spread.shown_cols)],
                    lag_ratio=0.4,
                ),
                run_time=2.5,
            )
            copied = {id(e) for c in range(spread.shown_cols) for e in spread.column(c)}
            rest = [e for e in spread.matrix.get_entries() if id(e) not in copied]
            self.play(FadeIn(VGroup(*rest)), FadeIn(spread.shape_label), run_time=0.8)
            self.play(Write(bc_note), run_time=1.5)

        # --- 7. tanh, entry by entry ---------------------------------------------------------------
        heading5 = _heading("tanh, entry by entry")
        act_eq = formula(r"A^{[1]} = \tanh(Z^{[1]})", font_size=BODY_SIZE).next_to(heading5, DOWN, buff=0.3)
        Z1 = ValueMatrix(n.Z1, digits=4, font_size=24, color=colors["Z^{[1]}"], max_cols=max_cols)
        A1 = ValueMatrix(n.A1, digits=4, font_size=24, color=colors["A^{[1]}"], max_cols=max_cols)
        tanh_arrow = VGroup(
            Arrow(LEFT, RIGHT, color=MUTED, buff=0).scale(0.6),
        )
        tanh_word = MathTex(r"\tanh", font_size=LABEL_SIZE, color=TEXT).next_to(tanh_arrow, UP, buff=0.1)
        tanh_arrow.add(tanh_word)
        VGroup(Z1, tanh_arrow, A1).arrange(RIGHT, buff=0.35).move_to(0.4 * DOWN)
        Z1_label = formula("Z^{[1]}", font_size=LABEL_SIZE).next_to(Z1.matrix, UP, buff=0.25)
        A1_label = formula("A^{[1]}", font_size=LABEL_SIZE).next_to(A1.matrix, UP, buff=0.25)
        _fit_width(VGroup(Z1, tanh_arrow, A1, Z1_label, A1_label))
        ti, tj = n.tanh_entry
        z_box, a_box = Z1.highlight_entry(ti, tj), A1.highlight_entry(ti, tj)
        tanh_line = MathTex(
            r"\tanh(",
            tex_number(n.Z1[ti, tj], 4),
            ") = ",
            tex_number(n.A1[ti, tj], 4),
            r"\qquad \tanh(z) \approx z \text{ near } 0",
            font_size=BODY_SIZE - 4,
            color=TEXT,
        ).to_edge(DOWN, buff=0.4)
        tanh_line[1].set_color(colors["Z^{[1]}"])
        tanh_line[3].set_color(colors["A^{[1]}"])
        tanh_line[4].set_color(MUTED)
        with self.beat("tanh", cap["tanh"]):
            self.play(
                FadeOut(VGroup(bt, bt_label, arrow, spread, spread_label, bc_note, layer_eq)),
                FadeTransform(heading4, heading5),
                run_time=1.0,
            )
            self.play(Write(act_eq), FadeIn(Z1), FadeIn(Z1_label), run_time=1.5)
            self.play(FadeIn(tanh_arrow), run_time=0.6)
            self.play(
                LaggedStart(
                    *[
                        TransformFromCopy(z, a)
                        for z, a in zip(Z1.matrix.get_entries(), A1.matrix.get_entries(), strict=True)
                    ],
                    lag_ratio=0.08,
                ),
                FadeIn(A1.matrix.get_brackets()),
                FadeIn(A1.shape_label),
                FadeIn(A1_label),
                run_time=2.5,
            )
            self.play(Create(z_box), Create(a_box), Write(tanh_line), run_time=1.5)

        # --- 8. the output layer ---------------------------------------------------------------------
        heading6 = _heading("The output layer")
        out_eq = formula(r"Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}", font_size=BODY_SIZE).next_to(heading6, DOWN, buff=0.3)
        A1b = ValueMatrix(n.A1, font_size=MATRIX_SIZE, color=colors["A^{[1]}"], max_cols=max_cols)
        W2 = ValueMatrix(n.W2, font_size=MATRIX_SIZE, color=colors["W^{[2]}"])
        Z2 = ValueMatrix(n.W2 @ n.A1, font_size=MATRIX_SIZE, color=colors["Z^{[2]}"], max_cols=max_cols)
        Z2.move_to([2.0, -1.75, 0])
        A1b.next_to(Z2, UP, buff=0.2)
        _align_columns(A1b, Z2)
        W2.next_to(Z2, LEFT, buff=0.45)
        W2.shift((Z2.matrix.get_y() - W2.matrix.get_y()) * UP)
        W2_label = formula("W^{[2]}", font_size=LABEL_SIZE).next_to(W2.matrix, UP, buff=0.3)
        A1b_label = formula("A^{[1]}", font_size=LABEL_SIZE).next_to(A1b.matrix, RIGHT, buff=0.3)
        b2_text = _tex(n.b2[0, 0])
        # Under the product: what it becomes once b[2] is added (and what b[2] is).
        Z2_label = MathTex(
            "W^{[2]}",
            "A^{[1]}",
            "+",
            "b^{[2]}",
            "=",
            "Z^{[2]}",
            rf",\quad b^{{[2]}} = {b2_text}",
            font_size=LABEL_SIZE - 2,
            color=TEXT,
        )
        for k, key in ((0, "W^{[2]}"), (1, "A^{[1]}"), (3, "b^{[2]}"), (5, "Z^{[2]}")):
            Z2_label[k].set_color(colors[key])
        Z2_label[6].set_color(MUTED)
        Z2_label.next_to(Z2, DOWN, buff=0.25)
        out_shapes = MathTex(
            rf"(1 \times {n.n_h})\,({n.n_h} \times {n.m}) \to (1 \times {n.m})", font_size=BODY_SIZE - 6, color=TEXT
        )
        out_shapes.next_to(W2, DOWN, buff=0.25).match_y(Z2_label)
        _fit_width(VGroup(W2, A1b, Z2, W2_label, A1b_label, Z2_label, out_shapes))
        with self.beat("output_layer", cap["output_layer"]):
            self.play(
                FadeOut(
                    VGroup(
                        act_eq,
                        Z1,
                        Z1_label,
                        tanh_arrow,
                        z_box,
                        a_box,
                        tanh_line,
                        A1.matrix.get_brackets(),
                        A1.shape_label,
                    )
                ),
                FadeTransform(heading5, heading6),
                ReplacementTransform(A1.matrix.get_entries(), A1b.matrix.get_entries()),
                ReplacementTransform(A1_label, A1b_label),
                FadeIn(A1b.matrix.get_brackets()),
                FadeIn(A1b.shape_label),
                run_time=1.5,
            )
            self.play(Write(out_eq), run_time=1.0)
            self.play(FadeIn(W2), FadeIn(W2_label), run_time=1.2)
            self.play(FadeIn(Z2), FadeIn(Z2_label), run_time=1.5)
            self.play(Write(out_shapes), run_time=1.2)

        # --- 9. sigma --------------------------------------------------------------------------------
        heading7 = _heading("σ gives the predictions")
        sig_eq = formula(r"A^{[2]} = \sigma(Z^{[2]}) = \frac{1}{1 + e^{-Z^{[2]}}}", font_size=BODY_SIZE)
        sig_eq.next_to(heading7, DOWN, buff=0.3)
        Z2r = ValueMatrix(n.Z2, font_size=MATRIX_SIZE, color=colors["Z^{[2]}"], max_cols=max_cols, show_shape=False)
        A2r = ValueMatrix(
            n.A2, digits=5, font_size=MATRIX_SIZE, color=colors["A^{[2]}"], max_cols=max_cols, show_shape=False
        )
        Yr = ValueMatrix(n.Y, digits=1, font_size=MATRIX_SIZE, color=colors["Y"], max_cols=max_cols, show_shape=False)
        rows = VGroup(Z2r, A2r, Yr).arrange(DOWN, buff=0.45).move_to([1.3, -0.7, 0])
        _align_columns(A2r, Z2r)
        _align_columns(Yr, Z2r)
        row_labels = VGroup(
            formula(r"Z^{[2]}", font_size=LABEL_SIZE),
            formula(r"A^{[2]} = \sigma(Z^{[2]})", font_size=LABEL_SIZE),
            MathTex(r"\text{labels } ", "Y", font_size=LABEL_SIZE, color=TEXT),
        )
        row_labels[2][1].set_color(colors["Y"])
        right_edge = rows.get_left()[0] - 0.5
        for lab, r in zip(row_labels, rows, strict=True):
            lab.match_y(r).shift((right_edge - lab.get_right()[0]) * RIGHT)
        _fit_width(VGroup(rows, row_labels))
        sig_words = (
            rf"\text{{all {n.m} within }} {tex_number(n.guess_spread, 2)} \text{{ of }} 0.5"
            r"\text{: the untrained network is guessing}"
            if n.guessing
            else rf"\text{{from }} {tex_number(float(n.A2.min()))} \text{{ to }} {tex_number(float(n.A2.max()))}"
        )
        sig_note = MathTex(sig_words, font_size=BODY_SIZE - 4, color=MUTED).to_edge(DOWN, buff=0.45)
        _fit_width(sig_note)
        with self.beat("sigmoid", cap["sigmoid"]):
            self.play(
                FadeOut(VGroup(out_eq, W2, W2_label, A1b, A1b_label, Z2_label, out_shapes)),
                FadeTransform(heading6, heading7),
                ReplacementTransform(Z2, Z2r),
                run_time=1.5,
            )
            self.play(Write(sig_eq), FadeIn(row_labels[0]), run_time=1.2)
            self.play(
                LaggedStart(
                    *[
                        TransformFromCopy(z, a)
                        for z, a in zip(Z2r.matrix.get_entries(), A2r.matrix.get_entries(), strict=True)
                    ],
                    lag_ratio=0.15,
                ),
                FadeIn(A2r.matrix.get_brackets()),
                FadeIn(row_labels[1]),
                run_time=2.0,
            )
            self.play(FadeIn(Yr), FadeIn(row_labels[2]), run_time=1.0)
            self.play(FadeIn(sig_note), run_time=0.8)

        # --- 10. summary -----------------------------------------------------------------------------
        heading8 = _heading("The forward pass in four lines")
        lines = [
            (r"Z^{[1]} = W^{[1]} X + b^{[1]}", f"{n.n_h} \\times {n.m}"),
            (r"A^{[1]} = \tanh(Z^{[1]})", f"{n.n_h} \\times {n.m}"),
            (r"Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}", f"1 \\times {n.m}"),
            (r"A^{[2]} = \sigma(Z^{[2]})", f"1 \\times {n.m}"),
        ]
        eqs = VGroup(*[formula(t, font_size=BODY_SIZE + 4) for t, _ in lines]).arrange(
            DOWN, aligned_edge=LEFT, buff=0.45
        )
        sizes = VGroup(*[MathTex(s, font_size=BODY_SIZE, color=MUTED) for _, s in lines])
        for s, e in zip(sizes, eqs, strict=True):
            s.match_y(e)
        sizes.arrange(DOWN, aligned_edge=LEFT, buff=0).next_to(eqs, RIGHT, buff=1.2)
        for s, e in zip(sizes, eqs, strict=True):
            s.match_y(e)
        summary = VGroup(eqs, sizes).move_to(0.3 * DOWN)
        with self.beat("summary", cap["summary"]):
            self.play(
                FadeOut(VGroup(sig_eq, Z2r, A2r, Yr, row_labels, sig_note)),
                FadeTransform(heading7, heading8),
                run_time=1.0,
            )
            self.play(LaggedStart(*[Write(e) for e in eqs], lag_ratio=0.5), run_time=3.0)
            self.play(FadeIn(sizes), run_time=1.0)
        self.play(FadeOut(VGroup(heading8, summary)), run_time=1.0)
