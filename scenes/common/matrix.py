r"""Matrices of real values from the history, with their shape written under them.

``manim render -ql -s scenes/matrix_algebra.py MatrixAlgebra`` shows them in use.

A :class:`ValueMatrix` rounds every entry sensibly (:func:`scenes.common.tex.tex_number`),
elides columns beyond ``max_cols`` (``m = 400`` examples do not fit on screen) with a
``\cdots`` column while its shape label still tells the truth, and offers rectangles that
highlight a row, a column or an entry.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, MathTex, Matrix, SurroundingRectangle, VGroup, VMobject

from scenes.common.format import tex_number
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT


class ValueMatrix(VGroup):
    r"""A matrix of real numbers with its shape ``(rows × cols)`` under it.

    Parameters
    ----------
    values : ndarray, shape (r, c)
        The real values (a column vector is ``(r, 1)``).
    digits : int
        Significant digits of each entry.
    max_cols : int
        Columns beyond this are elided: the first ``max_cols - 1`` are drawn, then ``\cdots``.
    font_size : float
        Font size of the entries.
    color : ManimColor, optional
        Colour of the entries and brackets (default the text colour).
    show_shape : bool
        Write ``r \times c`` under the matrix.

    Attributes
    ----------
    values : ndarray
    matrix : Matrix
    shape_label : MathTex or None
    shown_cols : int
        Number of real columns drawn.
    """

    def __init__(
        self,
        values: np.ndarray,
        digits: int = 3,
        max_cols: int = 6,
        font_size: float = 28,
        color: object = None,
        show_shape: bool = True,
    ) -> None:
        super().__init__()
        values = np.atleast_2d(np.asarray(values, dtype=float))
        self.values = values
        rows, cols = values.shape
        self.shown_cols = cols if cols <= max_cols else max_cols - 1
        color = color or TEXT
        table: list[list[str]] = []
        for i in range(rows):
            row = [tex_number(values[i, j], digits) for j in range(self.shown_cols)]
            if self.shown_cols < cols:
                row.append(r"\cdots")
            table.append(row)
        # Column spacing from the widest entry, so long numbers never run into each other.
        widest = max(MathTex(t, font_size=font_size).width for row in table for t in row)
        self.matrix = Matrix(
            table,
            element_to_mobject=MathTex,
            element_to_mobject_config={"font_size": font_size, "color": color},
            h_buff=widest + 0.3 * font_size / 28,
            v_buff=0.55 * font_size / 28,
            element_alignment_corner=np.array([0.0, 0.0, 0.0]),
        )
        self.matrix.get_brackets().set_color(color)
        self.add(self.matrix)
        self.shape_label = None
        if show_shape:
            self.shape_label = MathTex(rf"{rows} \times {cols}", font_size=font_size * 0.8, color=MUTED)
            self.shape_label.next_to(self.matrix, DOWN, buff=0.15)
            self.add(self.shape_label)

    def entry(self, i: int, j: int) -> VMobject:
        """The mobject of entry ``(i, j)``; ``j`` must be a drawn column."""
        if j >= self.shown_cols:
            raise IndexError(f"column {j} is elided (only {self.shown_cols} columns are drawn)")
        return self.matrix.get_rows()[i][j]

    def row(self, i: int) -> VGroup:
        r"""The drawn entries of row ``i`` (the ``\cdots`` included)."""
        return self.matrix.get_rows()[i]

    def column(self, j: int) -> VGroup:
        """The entries of drawn column ``j``."""
        if j >= self.shown_cols:
            raise IndexError(f"column {j} is elided (only {self.shown_cols} columns are drawn)")
        return self.matrix.get_columns()[j]

    def highlight_row(self, i: int, color: object = HIGHLIGHT) -> SurroundingRectangle:
        """A rectangle around row ``i`` (not added; play ``Create`` on it)."""
        return SurroundingRectangle(self.row(i), color=color, buff=0.08)

    def highlight_column(self, j: int, color: object = HIGHLIGHT) -> SurroundingRectangle:
        """A rectangle around drawn column ``j`` (not added)."""
        return SurroundingRectangle(self.column(j), color=color, buff=0.08)

    def highlight_entry(self, i: int, j: int, color: object = HIGHLIGHT) -> SurroundingRectangle:
        """A rectangle around entry ``(i, j)`` (not added)."""
        return SurroundingRectangle(self.entry(i, j), color=color, buff=0.06)
