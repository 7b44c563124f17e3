r"""Matrices of real values from the history, with their shape written under them.

``manim render -ql -s scenes/matrix_algebra.py MatrixAlgebra`` shows them in use.

A :class:`ValueMatrix` rounds every entry sensibly (:func:`scenes.common.tex.tex_number`; an
exact zero is written ``0``, not ``0.00``),
elides columns beyond ``max_cols`` (``m = 400`` examples do not fit on screen) with a
``\cdots`` column and rows beyond ``max_rows`` (a layer of 100 units) with a ``\vdots`` row
between the first and the last rows, as the course's own diagrams do, while its shape label still
tells the truth; it offers rectangles that highlight a row, a column or an entry. Only the drawn
entries are typeset, so a matrix of a wide layer costs what it draws.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from manim import DOWN, MathTex, Matrix, SurroundingRectangle, VGroup, VMobject
from manim.utils.color import ParsableManimColor

from scenes.common.format import tex_number
from scenes.common.layout import shown_rows
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.common.tex import prefetch


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
    max_rows : int or None
        Rows beyond this are elided (:func:`scenes.common.layout.shown_rows`): the first and the
        last rows are drawn round a ``\vdots`` row, ``max_rows`` rows in all; ``None``: every row.
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
    shown_rows : list of int
        The real rows drawn, top to bottom (every row unless rows are elided).
    ellipsis_row : int or None
        The drawn row that holds the ``\vdots`` (``None`` when no row is elided).
    """

    def __init__(
        self,
        values: np.ndarray,
        digits: int = 3,
        max_cols: int = 6,
        font_size: float = 28,
        color: ParsableManimColor | None = None,
        show_shape: bool = True,
        max_rows: int | None = None,
    ) -> None:
        super().__init__()
        values = np.atleast_2d(np.asarray(values, dtype=float))
        self.values = values
        rows, cols = values.shape
        self.shown_cols = cols if cols <= max_cols else max_cols - 1
        self.shown_rows, self.ellipsis_row = shown_rows(rows, rows if max_rows is None else max_rows)
        color = color or TEXT
        table: list[list[str]] = []
        for i in self.shown_rows:
            row = [tex_number(values[i, j], digits, exact_zero=True) for j in range(self.shown_cols)]
            if self.shown_cols < cols:
                row.append(r"\cdots")
            table.append(row)
        if self.ellipsis_row is not None:
            dots = [r"\vdots"] * self.shown_cols + ([r"\ddots"] if self.shown_cols < cols else [])
            table.insert(self.ellipsis_row, dots)
        shape = rf"{rows} \times {cols}"
        prefetch([t for row in table for t in row] + ([shape] if show_shape else []))  # one LaTeX run for all
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
            self.shape_label = MathTex(shape, font_size=font_size * 0.8, color=MUTED)
            self.shape_label.next_to(self.matrix, DOWN, buff=0.15)
            self.add(self.shape_label)

    @property
    def shape_tex(self) -> MathTex:
        """The shape label (``rows × cols``) of a matrix drawn with its shape (``show_shape``)."""
        if self.shape_label is None:
            raise ValueError("this matrix is drawn without its shape label (show_shape=False)")
        return self.shape_label

    def _drawn_row(self, i: int) -> int:
        """Where real row ``i`` is drawn."""
        if i not in self.shown_rows:
            raise IndexError(f"row {i} is elided (the rows drawn are {self.shown_rows})")
        k = self.shown_rows.index(i)
        return k + 1 if self.ellipsis_row is not None and k >= self.ellipsis_row else k

    def entry(self, i: int, j: int) -> VMobject:
        """The mobject of entry ``(i, j)``; ``i`` must be a drawn row and ``j`` a drawn column."""
        if j >= self.shown_cols:
            raise IndexError(f"column {j} is elided (only {self.shown_cols} columns are drawn)")
        return cast(VMobject, self.matrix.get_rows()[self._drawn_row(i)][j])

    def row(self, i: int) -> VGroup:
        r"""The drawn entries of real row ``i`` (the ``\cdots`` included); ``i`` must be drawn."""
        return cast(VGroup, self.matrix.get_rows()[self._drawn_row(i)])

    def drawn_rows(self) -> list[VGroup]:
        r"""Every drawn row, top to bottom, the ``\vdots`` row included."""
        return [cast(VGroup, r) for r in self.matrix.get_rows()]

    def column(self, j: int) -> VGroup:
        r"""The entries of drawn column ``j`` (its ``\vdots`` included)."""
        if j >= self.shown_cols:
            raise IndexError(f"column {j} is elided (only {self.shown_cols} columns are drawn)")
        return cast(VGroup, self.matrix.get_columns()[j])

    def highlight_row(self, i: int, color: ParsableManimColor = HIGHLIGHT) -> SurroundingRectangle:
        """A rectangle around row ``i`` (not added; play ``Create`` on it)."""
        return SurroundingRectangle(self.row(i), color=color, buff=0.08)

    def highlight_column(self, j: int, color: ParsableManimColor = HIGHLIGHT) -> SurroundingRectangle:
        """A rectangle around drawn column ``j`` (not added)."""
        return SurroundingRectangle(self.column(j), color=color, buff=0.08)

    def highlight_entry(self, i: int, j: int, color: ParsableManimColor = HIGHLIGHT) -> SurroundingRectangle:
        """A rectangle around entry ``(i, j)`` (not added)."""
        return SurroundingRectangle(self.entry(i, j), color=color, buff=0.06)
