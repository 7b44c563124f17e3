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

Every number comes from the history (:func:`scenes.common.history.load_history`, ``$NN_HISTORY``);
:mod:`scenes.matrix_algebra_numbers` computes them and every claim made about them and narrates
them, and :class:`MatrixAlgebra` draws them, one method per beat.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

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
    VMobject,
    Write,
)

from scenes.common.format import count, tex_number
from scenes.common.history import load_history
from scenes.common.matrix import ValueMatrix
from scenes.common.model_text import ACTIVATIONS, FEATURE_TEX
from scenes.common.narration import Narrated
from scenes.common.palette import HIGHLIGHT, MUTED, SYMBOL_COLORS, TEXT
from scenes.common.tex import formula, prefetch
from scenes.matrix_algebra_numbers import SHOWN_UNITS, MatrixNumbers, captions, matrix_numbers

HEADING_SIZE = 40
BODY_SIZE = 36
MATRIX_SIZE = 28
LABEL_SIZE = 30
V = TypeVar("V", bound=VMobject)


# --- layout helpers ------------------------------------------------------------------------------


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


def _spread_columns(matrix: ValueMatrix, pitch: float) -> ValueMatrix:
    """Space ``matrix``'s drawn columns ``pitch`` apart (if that is wider), about the same centre.

    A matrix whose columns another is aligned under (:func:`_align_columns`) is first spread to the
    wider of the two pitches, so that neither's entries run into each other.
    """
    columns = matrix.matrix.get_columns()
    if len(columns) < 2 or pitch <= _column_pitch(matrix) + 1e-9:
        return matrix
    entries = matrix.matrix.get_entries()
    centre = entries.get_x()
    left, right = matrix.matrix.get_brackets()
    gap_left = entries.get_left()[0] - left.get_right()[0]
    gap_right = right.get_left()[0] - entries.get_right()[0]
    first = columns[0].get_x()
    for j, col in enumerate(columns):
        col.shift((first + j * pitch - col.get_x()) * RIGHT)
    entries.shift((centre - entries.get_x()) * RIGHT)
    left.shift((entries.get_left()[0] - gap_left - left.get_right()[0]) * RIGHT)
    right.shift((entries.get_right()[0] + gap_right - right.get_left()[0]) * RIGHT)
    if matrix.shape_label is not None:
        matrix.shape_label.match_x(matrix.matrix)
    return matrix


def _column_pitch(matrix: ValueMatrix) -> float:
    """The distance between the centres of a matrix's first two drawn columns (0 for one column)."""
    columns = matrix.matrix.get_columns()
    return float(columns[1].get_x() - columns[0].get_x()) if len(columns) > 1 else 0.0


UNIT_FLOOR = -3.7
"""The lowest the one-unit beat's result may reach (the frame's bottom is at -4)."""

UNIT_BELOW = 2.3
"""The height the one-unit beat's notes, sum and result take under its line, their gaps included."""


def _fit_width(group: V, max_width: float = 13.2) -> V:
    """Centre ``group`` horizontally and shrink it if it would leave the frame (long numbers, many units)."""
    if group.width > max_width:
        group.scale(max_width / group.width)
    return group.shift(-group.get_x() * RIGHT)


def layer_colors(layers: int) -> dict[str, Any]:
    """Each layer's symbols' colours for an ``L``-layer network: the hidden layers the first's, the output layer 2's.

    For one hidden layer it is :data:`~scenes.common.palette.SYMBOL_COLORS` itself.
    """
    colors: dict[str, Any] = {"X": SYMBOL_COLORS["X"], "Y": SYMBOL_COLORS["Y"]}
    for l in range(1, layers + 1):
        like = 1 if l < layers else 2
        for k in "WbZA":
            colors[f"{k}^{{[{l}]}}"] = SYMBOL_COLORS[f"{k}^{{[{like}]}}"]
    return colors


def layer_formula(tex: str, layers: int, **kwargs: Any) -> MathTex:
    """:func:`scenes.common.tex.formula` for a network of ``layers`` layers (``W^{[3]}`` coloured as the output's)."""
    if layers == 2:
        return formula(tex, **kwargs)
    colors = layer_colors(layers)
    present = [s for s in colors if s in tex]
    kwargs.setdefault("color", TEXT)
    mob = MathTex(tex, substrings_to_isolate=present, **kwargs)
    for symbol in present:
        mob.set_color_by_tex(symbol, colors[symbol])
    return mob


def _act_tex(n: MatrixNumbers) -> str:
    """The activation's name in TeX (tanh as the operator, the others as text)."""
    return r"\tanh" if n.activation == "tanh" else rf"\text{{{ACTIVATIONS[n.activation].name}}}"


def _heading(text: str) -> Text:
    return Text(text, font_size=HEADING_SIZE, color=TEXT).to_edge(UP, buff=0.3)


def _paren(value: float, digits: int = 3) -> str:
    return rf"\left({tex_number(value, digits)}\right)"


def _tex_products(terms: list[tuple[float, float]]) -> str:
    r"""TeX of ``(w1)(x1) + (w2)(x2) + …``, each factor in ``\left( \right)``."""
    return " + ".join(rf"{_paren(a)}{_paren(b)}" for a, b in terms)


def _symbol_note(words: str, symbol: str) -> MathTex:
    """A muted note naming where a piece comes from, e.g. ``w: row 1 of W[1]``, the symbol coloured."""
    note = MathTex(words, symbol, font_size=26, color=MUTED)
    note[1].set_color(SYMBOL_COLORS[symbol])
    return note


def _entrywise(source: ValueMatrix, target: ValueMatrix, lag_ratio: float) -> LaggedStart:
    """Every drawn entry of ``target`` coming out of a copy of the same entry of ``source``, in turn."""
    pairs = zip(source.matrix.get_entries(), target.matrix.get_entries(), strict=True)
    return LaggedStart(*[TransformFromCopy(s, t) for s, t in pairs], lag_ratio=lag_ratio)


# --- the scene -----------------------------------------------------------------------------------


class MatrixAlgebra(Narrated, Scene):
    """From one hidden unit to the whole layer, with the real initial parameters.

    Each beat builds its pieces, clears what the previous beat left that it does not use, and
    plays. What outlives a beat is kept as an attribute, set by the beat that draws it:

    Attributes
    ----------
    numbers : MatrixNumbers
        What the segment shows and says.
    captions : dict
        Beat name → caption (:func:`captions` of :attr:`numbers`).
    heading : Text
        The heading on screen; every beat after the first turns it into its own.
    unit_working : VGroup
        Unit 1's formula, notes, sum and result (all of ``one_unit`` but its ``w`` and ``x``).
    w_row, x_col : ValueMatrix
        Unit 1's weights and the first point, which ``stack`` moves into ``W^{[1]}`` and ``X``.
    layer_eq : MathTex
        ``Z^{[1]} = W^{[1]}X + b^{[1]}``, on screen from ``stack`` to ``broadcast``.
    W, X, WX : ValueMatrix
        ``W^{[1]}``, ``X`` and their product as laid out in ``stack`` (``WX`` is drawn in
        ``row_times_column``); ``W_label``, ``X_label``, ``WX_label`` name them.
    entry_marks : VGroup
        The row, column and entry boxes and the worked entry of ``row_times_column``.
    shapes : VGroup
        The two shape checks of ``shapes``.
    bias_sum : VGroup
        ``W^{[1]}X + b^{[1]} = Z^{[1]}`` with its labels and note (``bias``).
    broadcast : VGroup
        The trained bias, the arrow, the bias repeated ``m`` times, their labels and note.
    tanh_working : VGroup
        ``A^{[1]} = tanh(Z^{[1]})``, the ``Z^{[1]}`` matrix, the arrow, the example (``tanh``);
        ``A1`` and ``A1_label`` are kept apart, since ``output_layer`` moves them.
    output_working : VGroup
        The output layer's formula, matrices but ``Z2``, labels and shapes (``output_layer``).
    Z2 : ValueMatrix
        ``W^{[2]}A^{[1]}``, which ``sigmoid`` turns into its first row.
    predictions : VGroup
        ``σ``'s formula, the rows ``Z^{[2]}``, ``A^{[2]}``, ``Y``, their labels and the note.
    """

    def construct(self) -> None:
        """Play the beats in order (see the module docstring)."""
        self.camera.background_color = "#000000"  # type: ignore[union-attr]  # the Cairo camera
        self.numbers = matrix_numbers(load_history())
        self.captions = captions(self.numbers)
        self.one_unit_beat()
        self.stack_beat()
        self.row_times_column_beat()
        self.shapes_beat()
        self.bias_beat()
        self.broadcast_beat()
        self.tanh_beat()
        if self.numbers.layers > 2:
            self.layers_beat()
        self.output_layer_beat()
        self.sigmoid_beat()
        self.summary_beat()
        self.play(FadeOut(VGroup(self.heading, self.summary)), run_time=1.0)

    heading: Text
    """The heading on screen (each beat's turns into the next one's)."""

    def _turn_heading(self, heading: Text) -> FadeTransform:
        """The animation from the heading on screen to ``heading``, which becomes :attr:`heading`."""
        old, self.heading = self.heading, heading
        return FadeTransform(old, heading)

    # --- 1. one hidden unit ------------------------------------------------------------------------

    def _unit_line(self) -> VGroup:
        """``z = [w] [x] + b`` with unit 1's real weights, the first point and its bias."""
        n = self.numbers
        self.w_row = ValueMatrix(n.W1[:1], font_size=MATRIX_SIZE + 4, color=SYMBOL_COLORS["W^{[1]}"], show_shape=False)
        self.x_col = ValueMatrix(n.X[:, :1], font_size=MATRIX_SIZE + 4, color=SYMBOL_COLORS["X"], show_shape=False)
        plus_b = MathTex("+", tex_number(n.unit_bias, exact_zero=True), font_size=BODY_SIZE, color=TEXT)
        plus_b[1].set_color(SYMBOL_COLORS["b^{[1]}"])
        plus_b[1].shift(0.12 * RIGHT)
        z_eq = MathTex("z =", font_size=BODY_SIZE, color=TEXT)
        return VGroup(z_eq, self.w_row, self.x_col, plus_b).arrange(RIGHT, buff=0.25).move_to(0.8 * UP)

    @staticmethod
    def _fit_between(one_line: VGroup, general: MathTex) -> VGroup:
        """``one_line`` under ``general`` with room below it for the notes, the sum and its result.

        Many inputs (a feature cross, sines, squares) make ``x`` a tall column: the line moves down
        under the formula and shrinks, if it must, so that the sum and the result below it stay in
        the frame. A line of two inputs stays where it always was.
        """
        _fit_width(one_line)
        top = general.get_bottom()[1] - 0.25
        room = top - (UNIT_FLOOR + UNIT_BELOW)  # the notes, the sum and the result take UNIT_BELOW
        if one_line.height > room:
            one_line.scale(room / one_line.height)
        if one_line.get_top()[1] > top:
            one_line.shift((top - one_line.get_top()[1]) * UP)
        return one_line

    def one_unit_beat(self) -> None:
        """``z = wᵀx + b`` of hidden unit 1 at the first point, multiplied out."""
        n = self.numbers
        self.heading = _heading("One hidden unit")
        general = MathTex(r"z = w^{\top} x + b", font_size=44, color=TEXT).next_to(self.heading, DOWN, buff=0.45)
        one_line = self._fit_between(self._unit_line(), general)
        notes = VGroup(
            _symbol_note(r"w^{\top}:\ \text{row 1 of }", "W^{[1]}"),
            _symbol_note(r"x:\ \text{column 1 of }", "X"),
            _symbol_note(r"b:\ \text{entry 1 of }", "b^{[1]}"),
        )
        notes.arrange(RIGHT, buff=0.6).next_to(one_line, DOWN, buff=0.35)
        expanded = MathTex(
            f"= {_tex_products(n.unit_terms)} + {tex_number(n.unit_bias, exact_zero=True)}",
            font_size=BODY_SIZE,
            color=TEXT,
        )
        result = MathTex("=", tex_number(n.unit_z), font_size=BODY_SIZE + 4, color=TEXT)
        result[1].set_color(SYMBOL_COLORS["Z^{[1]}"])
        expanded.next_to(notes, DOWN, buff=0.45)
        result.next_to(expanded, DOWN, buff=0.3)
        for mob in (one_line, notes, expanded):
            _fit_width(mob)
        z_eq, _, _, plus_b = one_line
        self.unit_working = VGroup(general, notes, expanded, result, z_eq, plus_b)
        with self.beat("one_unit", self.captions["one_unit"]):
            self.play(FadeIn(self.heading, shift=0.2 * DOWN), Write(general), run_time=1.5)
            self.play(FadeIn(one_line), run_time=1.5)
            self.play(FadeIn(notes), run_time=1.0)
            self.play(Write(expanded), run_time=2.0)
            self.play(Write(result), run_time=1.0)

    # --- 2. stack into W1 and X (the product laid out with X above, W left of W X) -----------------

    def _layer_product(self) -> None:
        """Lay out ``W``, ``X`` and ``WX`` as a product (``X`` above ``WX``, ``W`` left of it), labelled."""
        n = self.numbers
        self.W = ValueMatrix(n.W1, font_size=MATRIX_SIZE, color=SYMBOL_COLORS["W^{[1]}"], max_rows=SHOWN_UNITS)
        self.X = ValueMatrix(n.X, font_size=MATRIX_SIZE, color=SYMBOL_COLORS["X"], max_cols=n.drawn_columns)
        self.WX = ValueMatrix(
            n.W1X, font_size=MATRIX_SIZE, color=SYMBOL_COLORS["Z^{[1]}"], max_cols=n.drawn_columns, max_rows=SHOWN_UNITS
        )
        _spread_columns(self.WX, _column_pitch(self.X))  # X's columns stand over W X's: neither may crowd
        self.WX.move_to((1.6, -1.25, 0))
        self.W.next_to(self.WX, LEFT, buff=0.45)
        # Rows of W and of W X line up (same row spacing): shift W so their first rows match.
        self.W.shift((self.WX.row(0).get_y() - self.W.row(0).get_y()) * UP)
        self.X.next_to(self.WX, UP, buff=0.25)
        _align_columns(self.X, self.WX)
        self.W_label = formula("W^{[1]}", font_size=LABEL_SIZE).next_to(self.W.matrix, UP, buff=0.3)
        self.X_label = formula("X", font_size=LABEL_SIZE).next_to(self.X.matrix, RIGHT, buff=0.3)
        self.WX_label = formula("W^{[1]} X", font_size=LABEL_SIZE).next_to(self.WX.matrix, RIGHT, buff=0.3)
        _fit_width(VGroup(self.W, self.X, self.WX, self.W_label, self.X_label, self.WX_label))

    def stack_beat(self) -> None:
        """The units' weight rows stacked into ``W^{[1]}``, the points side by side in ``X``."""
        heading = _heading("All hidden units at once")
        self.layer_eq = formula(r"Z^{[1]} = W^{[1]} X + b^{[1]}", font_size=BODY_SIZE).next_to(heading, DOWN, buff=0.3)
        self._layer_product()
        product = VGroup(self.W, self.X, self.WX, self.W_label, self.X_label, self.WX_label)
        room = self.layer_eq.get_bottom()[1] - 0.2 - product.get_top()[1]
        if room < 0:  # more inputs than two (a feature cross): X is taller, the product moves down under the formula
            product.shift(room * UP)
        floor = -3.1  # the worked entry's and the shapes' line go below it
        if product.get_bottom()[1] < floor:  # still too tall (many features): shrunk to fit above that line
            top = product.get_top()
            product.scale((top[1] - floor) / product.height, about_point=top)
        W, X = self.W, self.X
        with self.beat("stack", self.captions["stack"]):
            self.play(FadeOut(self.unit_working), self._turn_heading(heading), run_time=1.0)
            self.play(Write(self.layer_eq), run_time=1.0)
            self.play(
                ReplacementTransform(self.w_row.matrix.get_entries(), W.row(0)),
                FadeOut(self.w_row.matrix.get_brackets()),
                ReplacementTransform(self.x_col.matrix.get_entries(), X.column(0)),
                FadeOut(self.x_col.matrix.get_brackets()),
                run_time=1.5,
            )
            rest_W = VGroup(*W.drawn_rows()[1:], W.matrix.get_brackets(), W.shape_tex)
            first_col = {id(e) for e in X.column(0)}
            rest_X = VGroup(
                *[e for e in X.matrix.get_entries() if id(e) not in first_col],
                X.matrix.get_brackets(),
                X.shape_tex,
            )
            self.play(FadeIn(rest_W), FadeIn(self.W_label), run_time=1.2)
            self.play(FadeIn(rest_X), FadeIn(self.X_label), run_time=1.2)

    # --- 3. one entry = row times column -----------------------------------------------------------

    def _entry_notes(self) -> tuple[MathTex, MathTex]:
        """The two worked entries: row 1 times column 1 (unit 1's ``z``), then the :attr:`~MatrixNumbers.entry`."""
        n = self.numbers
        i, j = n.entry
        first = MathTex(
            r"\text{row 1} \cdot \text{column 1} = ",
            tex_number(n.unit_z),
            r"\ \text{(unit 1, as before)}",
            font_size=BODY_SIZE - 4,
            color=TEXT,
        ).to_edge(DOWN, buff=0.35)
        first[1].set_color(SYMBOL_COLORS["Z^{[1]}"])
        worked = MathTex(
            rf"\text{{row {i + 1}}} \cdot \text{{column {j + 1}}} = " + _tex_products(n.entry_terms) + " = ",
            tex_number(n.entry_value),
            font_size=BODY_SIZE - 4,
            color=TEXT,
        ).to_edge(DOWN, buff=0.35)
        worked[1].set_color(SYMBOL_COLORS["Z^{[1]}"])
        _fit_width(worked)
        return first, worked

    def row_times_column_beat(self) -> None:
        """``W^{[1]}X`` appears; entry (1, 1) and then the worked entry are a row times a column."""
        i, j = self.numbers.entry
        W, X, WX = self.W, self.X, self.WX
        row, col, ent = W.highlight_row(0), X.highlight_column(0), WX.highlight_entry(0, 0)
        first_note, entry_line = self._entry_notes()
        with self.beat("row_times_column", self.captions["row_times_column"]):
            self.play(Create(row), Create(col), run_time=1.0)
            self.play(
                FadeIn(VGroup(*[e for e in WX.matrix.get_entries()]), lag_ratio=0.05),
                FadeIn(WX.matrix.get_brackets()),
                FadeIn(WX.shape_tex),
                FadeIn(self.WX_label),
                run_time=1.5,
            )
            self.play(Create(ent), FadeIn(first_note), run_time=1.0)
            self.wait(2.0)
            self.play(
                Transform(row, W.highlight_row(i)),
                Transform(col, X.highlight_column(j)),
                Transform(ent, WX.highlight_entry(i, j)),
                FadeOut(first_note),
                run_time=1.0,
            )
            self.play(Write(entry_line), run_time=1.5)
        self.entry_marks = VGroup(row, col, ent, entry_line)

    # --- 4. shapes ---------------------------------------------------------------------------------

    def shapes_beat(self) -> None:
        """``(n_h × n_x)(n_x × m) → (n_h × m)``, in symbols and in numbers, the inner sizes marked."""
        n = self.numbers
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
        self.shapes = _fit_width(VGroup(shapes_general, shapes_real).arrange(RIGHT, buff=1.0).to_edge(DOWN, buff=0.35))
        factors = (self.W, self.X, self.WX)
        shape_boxes = VGroup(*[m.shape_tex.copy().set_color(HIGHLIGHT) for m in factors])
        with self.beat("shapes", self.captions["shapes"]):
            self.play(FadeOut(self.entry_marks), run_time=0.8)
            self.play(Write(shapes_general), run_time=1.5)
            self.play(
                LaggedStart(*[Transform(m.shape_label, b) for m, b in zip(factors, shape_boxes, strict=True)]),
                run_time=1.5,
            )
            self.play(Write(shapes_real), run_time=1.5)

    # --- 5. the bias, zero at the start ------------------------------------------------------------

    def bias_beat(self) -> None:
        """``W^{[1]}X + b^{[1]} = Z^{[1]}`` with the initial bias (exactly zero, for the course's start)."""
        n = self.numbers
        heading = _heading("Adding the bias")
        WX_b = self.WX.copy()
        WX_b.shape_tex.set_color(MUTED)
        # An all-zero bias is drawn as plain 0s, since it is exactly zero, not rounded.
        b_col = ValueMatrix(
            n.b1,
            digits=1 if n.b1_zero else 3,
            font_size=MATRIX_SIZE,
            color=SYMBOL_COLORS["b^{[1]}"],
            max_rows=SHOWN_UNITS,
        )
        plus = MathTex("+", font_size=BODY_SIZE, color=TEXT)
        equals = formula(r"= Z^{[1]}", font_size=BODY_SIZE)
        VGroup(WX_b, plus, b_col, equals).arrange(RIGHT, buff=0.35).move_to(0.3 * DOWN)
        WX_b_label = formula("W^{[1]} X", font_size=LABEL_SIZE).next_to(WX_b.matrix, UP, buff=0.3)
        b_label = formula(r"b^{[1]}", font_size=LABEL_SIZE).next_to(b_col.matrix, UP, buff=0.3)
        _fit_width(VGroup(WX_b, plus, b_col, equals, WX_b_label, b_label))
        bias_note = MathTex(
            r"\text{at iteration 0 every bias is exactly 0}" if n.b1_zero else r"\text{the initial biases}",
            font_size=BODY_SIZE - 4,
            color=MUTED,
        ).to_edge(DOWN, buff=0.5)
        with self.beat("bias", self.captions["bias"]):
            self.play(
                FadeOut(VGroup(self.W, self.X, self.W_label, self.X_label, self.WX_label, self.shapes)),
                self._turn_heading(heading),
                run_time=1.0,
            )
            self.play(ReplacementTransform(self.WX, WX_b), FadeIn(WX_b_label), run_time=1.2)
            self.play(FadeIn(plus), FadeIn(b_col), FadeIn(b_label), run_time=1.2)
            self.play(FadeIn(bias_note), run_time=0.8)
            self.play(Write(equals), run_time=1.0)
        self.bias_sum = VGroup(WX_b, plus, b_col, equals, WX_b_label, b_label, bias_note)

    # --- 6. broadcasting, with the trained b1 ------------------------------------------------------

    def broadcast_beat(self) -> None:
        """The trained ``b^{[1]}`` copied into every one of the ``m`` columns: broadcasting."""
        n = self.numbers
        color = SYMBOL_COLORS["b^{[1]}"]
        heading = _heading("Broadcasting the bias")
        bt = ValueMatrix(n.b1_trained, font_size=MATRIX_SIZE + 2, color=color, max_rows=SHOWN_UNITS)
        spread_values = np.repeat(n.b1_trained, n.m, axis=1)  # (n_h, m)
        spread = ValueMatrix(
            spread_values, font_size=MATRIX_SIZE + 2, color=color, max_cols=n.drawn_columns, max_rows=SHOWN_UNITS
        )
        arrow = Arrow(LEFT, RIGHT, color=MUTED, buff=0).scale(0.8)
        VGroup(bt, arrow, spread).arrange(RIGHT, buff=0.6).move_to(0.1 * DOWN)
        bt_label = MathTex(
            r"b^{[1]}", rf"\ \text{{after {count(n.iterations, n.step_word)}}}", font_size=LABEL_SIZE, color=TEXT
        ).next_to(bt.matrix, UP, buff=0.35)
        bt_label[0].set_color(color)
        spread_label = MathTex(rf"\text{{the same column, {n.m} times}}", font_size=LABEL_SIZE, color=TEXT)
        spread_label.next_to(spread.matrix, UP, buff=0.35)
        _fit_width(VGroup(bt, arrow, spread, bt_label, spread_label))
        note = formula(
            r"W^{[1]} X + b^{[1]}: \text{ the column } b^{[1]} \text{ is added to every column}",
            font_size=BODY_SIZE - 4,
        ).to_edge(DOWN, buff=0.5)
        with self.beat("broadcast", self.captions["broadcast"]):
            self.play(FadeOut(self.bias_sum), self._turn_heading(heading), run_time=1.0)
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
            self.play(FadeIn(VGroup(*rest)), FadeIn(spread.shape_tex), run_time=0.8)
            self.play(Write(note), run_time=1.5)
        self.broadcast = VGroup(bt, bt_label, arrow, spread, spread_label, note)

    # --- 7. tanh, entry by entry -------------------------------------------------------------------

    def _tanh_example(self) -> MathTex:
        """``tanh(z) = a`` at the drawn entry where ``|z|`` is largest, with what it shows about ``tanh``."""
        n = self.numbers
        z, a = n.tanh_pair
        # The same claim as the caption: nearly the identity for small values, else a squashing.
        claim = r"\tanh(z) \approx z \text{ near } 0" if n.linear_tanh else r"\tanh(z) \in (-1, 1)"
        if n.activation != "tanh":
            claim = rf"{_act_tex(n)}(z) = {ACTIVATIONS[n.activation].formula}"
        line = MathTex(
            _act_tex(n) + "(",
            tex_number(z, 4),
            ") = ",
            tex_number(a, 4, exact_zero=n.activation != "tanh"),
            r"\qquad " + claim,
            font_size=BODY_SIZE - 4,
            color=TEXT,
        ).to_edge(DOWN, buff=0.4)
        line[1].set_color(SYMBOL_COLORS["Z^{[1]}"])
        line[3].set_color(SYMBOL_COLORS["A^{[1]}"])
        line[4].set_color(MUTED)
        return line

    def tanh_beat(self) -> None:
        """``A^{[1]} = tanh(Z^{[1]})`` entry by entry, one entry worked out."""
        n = self.numbers
        name = ACTIVATIONS[n.activation].name
        heading = _heading(f"{name}, entry by entry")
        act_eq = formula(rf"A^{{[1]}} = {_act_tex(n)}(Z^{{[1]}})", font_size=BODY_SIZE).next_to(heading, DOWN, buff=0.3)
        wide: dict[str, Any] = {"digits": 4, "font_size": 24, "max_cols": n.drawn_columns, "max_rows": SHOWN_UNITS}
        Z1 = ValueMatrix(n.Z1, color=SYMBOL_COLORS["Z^{[1]}"], **wide)
        self.A1 = ValueMatrix(n.A1, color=SYMBOL_COLORS["A^{[1]}"], **wide)
        arrow = VGroup(Arrow(LEFT, RIGHT, color=MUTED, buff=0).scale(0.6))
        arrow.add(MathTex(_act_tex(n), font_size=LABEL_SIZE, color=TEXT).next_to(arrow, UP, buff=0.1))
        VGroup(Z1, arrow, self.A1).arrange(RIGHT, buff=0.35).move_to(0.4 * DOWN)
        Z1_label = formula("Z^{[1]}", font_size=LABEL_SIZE).next_to(Z1.matrix, UP, buff=0.25)
        self.A1_label = formula("A^{[1]}", font_size=LABEL_SIZE).next_to(self.A1.matrix, UP, buff=0.25)
        _fit_width(VGroup(Z1, arrow, self.A1, Z1_label, self.A1_label))
        z_box, a_box = Z1.highlight_entry(*n.tanh_entry), self.A1.highlight_entry(*n.tanh_entry)
        example = self._tanh_example()
        with self.beat("tanh", self.captions["tanh"]):
            self.play(FadeOut(VGroup(*self.broadcast, self.layer_eq)), self._turn_heading(heading), run_time=1.0)
            self.play(Write(act_eq), FadeIn(Z1), FadeIn(Z1_label), run_time=1.5)
            self.play(FadeIn(arrow), run_time=0.6)
            self.play(
                _entrywise(Z1, self.A1, lag_ratio=0.08),
                FadeIn(self.A1.matrix.get_brackets()),
                FadeIn(self.A1.shape_tex),
                FadeIn(self.A1_label),
                run_time=2.5,
            )
            self.play(Create(z_box), Create(a_box), Write(example), run_time=1.5)
        self.tanh_working = VGroup(act_eq, Z1, Z1_label, arrow, z_box, a_box, example)

    # --- 7b. every layer's shapes (deeper networks) --------------------------------------------------

    def _layers_table(self) -> VGroup:
        """One row a layer: its ``W``, ``b``, ``Z``/``A`` shapes and its activation; row 0 the inputs, named."""
        n = self.numbers
        L, m = n.layers, n.m
        size = BODY_SIZE - 6
        header = [r"\text{layer}", r"W^{[l]}", r"b^{[l]}", r"Z^{[l]},\ A^{[l]}", r"g"]
        names = ",\\ ".join(FEATURE_TEX[f] for f in n.features)
        rows: list[list[str]] = [[r"0", "", "", rf"X:\ {n.n_x} \times {m}", rf"\text{{inputs }} {names}"]]
        for l in range(1, L + 1):
            k, prev = n.sizes[l], n.sizes[l - 1]
            g = r"\sigma" if l == L else _act_tex(n)
            rows.append([str(l), rf"{k} \times {prev}", rf"{k} \times 1", rf"{k} \times {m}", g])
        xs = (-5.3, -3.2, -1.1, 1.3, 4.3)
        table = VGroup()
        prefetch([tex for cells in [header, *rows] for tex in cells if tex])  # the whole table in one LaTeX run
        for r, cells in enumerate([header, *rows]):
            line = VGroup()
            for c, (tex, x) in enumerate(zip(cells, xs, strict=True)):
                if not tex:
                    continue
                color = MUTED if r == 0 else (HIGHLIGHT if c in (1, 2, 3) and r > 1 else TEXT)
                line.add(MathTex(tex, font_size=size, color=color).move_to((x, 1.6 - r * 0.62, 0)))
            table.add(line)
        shape, inputs = table[1][1], table[1][2]
        if inputs.get_left()[0] < shape.get_right()[0] + 0.3 or inputs.get_right()[0] > 6.6:
            # Too many inputs to name in their cell (five or more, with sines and squares): they are
            # named on their own line under the table instead, where the whole width is theirs.
            table[1].remove(inputs)
            named = MathTex(rf"\text{{layer 0, the inputs: }} {names}", font_size=size, color=TEXT).next_to(
                table, DOWN, buff=0.4
            )
            table.add(_fit_width(named))
        return _fit_width(table)

    def layers_beat(self) -> None:
        """A deeper network's every layer: the same pattern, each ``W^{[l]}`` ``n_l × n_{l-1}``, in one table."""
        n = self.numbers
        heading = _heading("Every layer's shapes")
        general = layer_formula(
            r"Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \quad A^{[l]} = g(Z^{[l]})",
            n.layers,
            font_size=BODY_SIZE - 2,
        ).next_to(heading, DOWN, buff=0.3)
        table = self._layers_table()
        table.next_to(general, DOWN, buff=0.45)
        total = MathTex(
            rf"{n.parameter_count} \text{{ weights and biases in all}}", font_size=BODY_SIZE - 4, color=MUTED
        ).to_edge(DOWN, buff=0.45)
        with self.beat("layers", self.captions["layers"]):
            self.play(
                FadeOut(VGroup(*self.tanh_working, self.A1, self.A1_label)),
                self._turn_heading(heading),
                run_time=1.0,
            )
            self.play(Write(general), run_time=1.2)
            self.play(LaggedStart(*[FadeIn(row) for row in table], lag_ratio=0.3), run_time=2.5)
            self.play(FadeIn(total), run_time=0.8)
        self.layers_view = VGroup(general, table, total)

    # --- 8. the output layer -----------------------------------------------------------------------

    def _output_labels(self, W2: ValueMatrix, Z2: ValueMatrix) -> tuple[MathTex, MathTex]:
        """Under the product: what it becomes once ``b^{[2]}`` is added (and what it is); under ``W2``, the shapes."""
        n = self.numbers
        L, colors = n.layers, layer_colors(n.layers)
        W, A, b, Z = f"W^{{[{L}]}}", f"A^{{[{L - 1}]}}", f"b^{{[{L}]}}", f"Z^{{[{L}]}}"
        sum_label = MathTex(
            W,
            A,
            "+",
            b,
            "=",
            Z,
            rf",\quad b^{{[{L}]}} = {tex_number(n.output_bias, exact_zero=True)}",
            font_size=LABEL_SIZE - 2,
            color=TEXT,
        )
        for k, key in ((0, W), (1, A), (3, b), (5, Z)):
            sum_label[k].set_color(colors[key])
        sum_label[6].set_color(MUTED)
        sum_label.next_to(Z2, DOWN, buff=0.25)
        shapes = MathTex(
            rf"(1 \times {n.n_last})\,({n.n_last} \times {n.m}) \to (1 \times {n.m})",
            font_size=BODY_SIZE - 6,
            color=TEXT,
        )
        shapes.next_to(W2, DOWN, buff=0.25).match_y(sum_label)
        overlap = shapes.get_right()[0] + 0.3 - sum_label.get_left()[0]
        if overlap > 0:  # a narrow W2 (few hidden units): the shapes move left, clear of the sum
            shapes.shift(overlap * LEFT)
        return sum_label, shapes

    def output_layer_beat(self) -> None:
        """``Z^{[2]} = W^{[2]}A^{[1]} + b^{[2]}``, laid out as the first layer's product was."""
        n = self.numbers
        L, colors = n.layers, layer_colors(n.layers)
        heading = _heading("The output layer")
        out_eq = layer_formula(
            rf"Z^{{[{L}]}} = W^{{[{L}]}} A^{{[{L - 1}]}} + b^{{[{L}]}}", L, font_size=BODY_SIZE
        ).next_to(heading, DOWN, buff=0.3)
        A1 = ValueMatrix(
            n.A_last,
            font_size=MATRIX_SIZE,
            color=colors[f"A^{{[{L - 1}]}}"],
            max_cols=n.drawn_columns,
            max_rows=SHOWN_UNITS,
        )
        W2 = ValueMatrix(n.W2, font_size=MATRIX_SIZE, color=colors[f"W^{{[{L}]}}"])
        self.Z2 = ValueMatrix(n.W2A1, font_size=MATRIX_SIZE, color=colors[f"Z^{{[{L}]}}"], max_cols=n.drawn_columns)
        _spread_columns(self.Z2, _column_pitch(A1))  # A1's columns stand over Z2's
        self.Z2.move_to((2.0, -1.75, 0))
        A1.next_to(self.Z2, UP, buff=0.2)
        _align_columns(A1, self.Z2)
        W2.next_to(self.Z2, LEFT, buff=0.45)
        W2.shift((self.Z2.matrix.get_y() - W2.matrix.get_y()) * UP)
        W2_label = layer_formula(f"W^{{[{L}]}}", L, font_size=LABEL_SIZE).next_to(W2.matrix, UP, buff=0.3)
        A1_label = layer_formula(f"A^{{[{L - 1}]}}", L, font_size=LABEL_SIZE).next_to(A1.matrix, RIGHT, buff=0.3)
        Z2_label, shapes = self._output_labels(W2, self.Z2)
        _fit_width(VGroup(W2, A1, self.Z2, W2_label, A1_label, Z2_label, shapes))
        with self.beat("output_layer", self.captions["output_layer"]):
            if L == 2:
                self.play(
                    FadeOut(VGroup(*self.tanh_working, self.A1.matrix.get_brackets(), self.A1.shape_tex)),
                    self._turn_heading(heading),
                    ReplacementTransform(self.A1.matrix.get_entries(), A1.matrix.get_entries()),
                    ReplacementTransform(self.A1_label, A1_label),
                    FadeIn(A1.matrix.get_brackets()),
                    FadeIn(A1.shape_tex),
                    run_time=1.5,
                )
            else:  # the last hidden layer's activations: another matrix than the tanh beat's A1
                self.play(
                    FadeOut(self.layers_view), self._turn_heading(heading), FadeIn(A1), FadeIn(A1_label), run_time=1.5
                )
            self.play(Write(out_eq), run_time=1.0)
            self.play(FadeIn(W2), FadeIn(W2_label), run_time=1.2)
            self.play(FadeIn(self.Z2), FadeIn(Z2_label), run_time=1.5)
            self.play(Write(shapes), run_time=1.2)
        self.output_working = VGroup(out_eq, W2, W2_label, A1, A1_label, Z2_label, shapes)

    # --- 9. sigma ----------------------------------------------------------------------------------

    def _prediction_rows(self) -> tuple[VGroup, VGroup]:
        """The rows ``Z^{[2]}``, ``A^{[2]}``, ``Y`` (columns aligned) and their labels, right-aligned left of them."""
        n = self.numbers
        L = n.layers
        kwargs: dict[str, Any] = {"font_size": MATRIX_SIZE, "max_cols": n.drawn_columns, "show_shape": False}
        Z2 = ValueMatrix(n.Z2, color=SYMBOL_COLORS["Z^{[2]}"], **kwargs)
        A2 = ValueMatrix(n.A2, digits=5, color=SYMBOL_COLORS["A^{[2]}"], **kwargs)
        Y = ValueMatrix(n.Y, digits=1, color=SYMBOL_COLORS["Y"], **kwargs)
        rows = VGroup(Z2, A2, Y).arrange(DOWN, buff=0.45).move_to((1.3, -0.7, 0))
        # Columns line up under the row whose entries are widest (Z2's, unless A2's are wider).
        widest = A2 if _column_pitch(A2) > _column_pitch(Z2) else Z2
        for row in (Z2, A2, Y):
            if row is not widest:
                _align_columns(row, widest)
        labels = VGroup(
            layer_formula(rf"Z^{{[{L}]}}", L, font_size=LABEL_SIZE),
            layer_formula(rf"A^{{[{L}]}} = \sigma(Z^{{[{L}]}})", L, font_size=LABEL_SIZE),
            MathTex(r"\text{labels } ", "Y", font_size=LABEL_SIZE, color=TEXT),
        )
        labels[2][1].set_color(SYMBOL_COLORS["Y"])
        right_edge = rows.get_left()[0] - 0.5
        for label, drawn in zip(labels, rows, strict=True):
            label.match_y(drawn).shift((right_edge - label.get_right()[0]) * RIGHT)
        _fit_width(VGroup(rows, labels))
        return rows, labels

    def _prediction_note(self) -> MathTex:
        """What the predictions say: the network is guessing, or the range they span."""
        n = self.numbers
        if n.guessing:
            said = (
                rf"\text{{all {n.m} exactly }} 0.5"
                if n.guess_spread == 0
                else rf"\text{{all {n.m} within }} {tex_number(n.guess_spread, 2)} \text{{ of }} 0.5"
            )
            words = said + r"\text{: the untrained network is guessing}"
        else:
            low, high = n.prediction_range
            words = rf"\text{{from }} {tex_number(low)} \text{{ to }} {tex_number(high)}"
        return _fit_width(MathTex(words, font_size=BODY_SIZE - 4, color=MUTED).to_edge(DOWN, buff=0.45))

    def sigmoid_beat(self) -> None:
        """``σ`` turns ``Z^{[2]}`` into the predictions ``A^{[2]}``, shown above the labels ``Y``."""
        heading = _heading("σ gives the predictions")
        L = self.numbers.layers
        sig_eq = layer_formula(
            rf"A^{{[{L}]}} = \sigma(Z^{{[{L}]}}) = \frac{{1}}{{1 + e^{{-Z^{{[{L}]}}}}}}", L, font_size=BODY_SIZE
        )
        sig_eq.next_to(heading, DOWN, buff=0.3)
        rows, labels = self._prediction_rows()
        Z2, A2, Y = (cast(ValueMatrix, row) for row in rows)
        note = self._prediction_note()
        with self.beat("sigmoid", self.captions["sigmoid"]):
            self.play(
                FadeOut(self.output_working),
                self._turn_heading(heading),
                ReplacementTransform(self.Z2, Z2),
                run_time=1.5,
            )
            self.play(Write(sig_eq), FadeIn(labels[0]), run_time=1.2)
            self.play(
                _entrywise(Z2, A2, lag_ratio=0.15),
                FadeIn(A2.matrix.get_brackets()),
                FadeIn(labels[1]),
                run_time=2.0,
            )
            self.play(FadeIn(Y), FadeIn(labels[2]), run_time=1.0)
            self.play(FadeIn(note), run_time=0.8)
        self.predictions = VGroup(sig_eq, Z2, A2, Y, labels, note)

    # --- 10. summary -------------------------------------------------------------------------------

    def summary_beat(self) -> None:
        """The four lines of the forward pass, each with the shape of what it computes."""
        n = self.numbers
        L = n.layers
        if L == 2:
            heading = _heading("The forward pass in four lines")
            lines = [
                (r"Z^{[1]} = W^{[1]} X + b^{[1]}", f"{n.n_h} \\times {n.m}"),
                (r"A^{[1]} = \tanh(Z^{[1]})".replace(r"\tanh", _act_tex(n)), f"{n.n_h} \\times {n.m}"),
                (r"Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}", f"1 \\times {n.m}"),
                (r"A^{[2]} = \sigma(Z^{[2]})", f"1 \\times {n.m}"),
            ]
            size = BODY_SIZE + 4
        else:  # one line a layer: its two steps side by side
            heading = _heading("The forward pass, layer by layer")
            lines = []
            for l in range(1, L + 1):
                a_prev = "X" if l == 1 else f"A^{{[{l - 1}]}}"
                g = r"\sigma" if l == L else _act_tex(n)
                lines.append(
                    (
                        rf"Z^{{[{l}]}} = W^{{[{l}]}} {a_prev} + b^{{[{l}]}},\quad A^{{[{l}]}} = {g}(Z^{{[{l}]}})",
                        f"{n.sizes[l]} \\times {n.m}",
                    )
                )
            size = BODY_SIZE if L <= 4 else BODY_SIZE - 4
        eqs = VGroup(*[layer_formula(t, L, font_size=size) for t, _ in lines])
        eqs.arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        sizes = VGroup(*[MathTex(s, font_size=BODY_SIZE, color=MUTED) for _, s in lines])
        for s, e in zip(sizes, eqs, strict=True):
            s.match_y(e)
        sizes.arrange(DOWN, aligned_edge=LEFT, buff=0).next_to(eqs, RIGHT, buff=1.2)
        for s, e in zip(sizes, eqs, strict=True):
            s.match_y(e)
        self.summary = VGroup(eqs, sizes).move_to(0.3 * DOWN)
        with self.beat("summary", self.captions["summary"]):
            self.play(FadeOut(self.predictions), self._turn_heading(heading), run_time=1.0)
            self.play(LaggedStart(*[Write(e) for e in eqs], lag_ratio=0.5), run_time=3.0)
            self.play(FadeIn(sizes), run_time=1.0)
