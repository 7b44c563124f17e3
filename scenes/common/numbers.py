"""Numbers that change every frame without re-typesetting: composed from glyphs typeset once.

``python -c "from scenes.common.numbers import GlyphNumber"``. An :class:`~manim.Integer` or
:class:`~manim.DecimalNumber` whose value changes every frame is typeset by LaTeX again each time
(about 18 ms, and each new value is a new compile). Here the characters ``0-9 . % -`` are typeset
once per font size and any number is composed from their outlines.

- :class:`GlyphNumber` — one such number, anchored at its left or right end.
- :class:`IterationReadout` — ``iteration``, ``cost`` and ``accuracy`` of the iteration shown.
- :class:`HistoryNumber` — one number of a history (the iteration, its cost or accuracy).

The last two are :class:`~scenes.common.clock.ClockView` s: they follow an iteration clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from manim import DOWN, LEFT, ManimColor, MathTex, Mobject, VGroup, VMobject

from nncore import History
from scenes.common.field import clamp_iteration
from scenes.common.format import cost_text, percent_text
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT

_ADVANCE_EM = {**dict.fromkeys("0123456789", 0.5), ".": 0.2778, "%": 0.8333, "-": 0.7778, "∞": 1.0, "×": 0.7778}
"""Advance widths in em of Computer Modern's digits, point, percent, minus, infinity and times (cmr10, cmsy10)."""

_SUPERSCRIPT_ADVANCE_EM = {**dict.fromkeys("0123456789", 0.3986), "-": 0.6245}
"""The same for an exponent's digits and minus, set in the superscript's 7-point fonts (cmr7, cmsy7)."""

_OP_SPACE_EM = 0.2222
"""TeX's medium space (4 mu) on each side of ``\\times``."""

_GLYPH_TEX = r"0123456789.\%{-}{\infty}{\times}"
_GLYPH_CHARS = "0123456789.%-∞×"
_SUPERSCRIPT_TEX = r"0^{0123456789{-}}"
_SUPERSCRIPT_CHARS = "0123456789-"

GLYPH_TEXT_HELP = "digits, '.', '%', '-', 'e' and an integer exponent (1.2e-05), 'inf' or '∞'"
"""What :meth:`GlyphNumber.set_text` accepts."""


@cache
def _glyphs(font_size: float) -> tuple[dict[str, np.ndarray], float]:
    """Each glyph's outline points and the em size in scene units.

    Keys are the characters of :data:`_GLYPH_CHARS`, and ``^`` followed by a character of
    :data:`_SUPERSCRIPT_CHARS` for an exponent's glyphs. Points are relative to the glyph's cell:
    horizontally its centre, vertically the baseline of the number (an exponent's glyphs carry
    their raise).
    """
    ref = MathTex(_GLYPH_TEX, font_size=font_size)[0]
    if len(ref) != len(_GLYPH_CHARS):
        raise RuntimeError(f"expected {len(_GLYPH_CHARS)} glyphs from {_GLYPH_TEX!r}, got {len(ref)}")
    sup = MathTex(_SUPERSCRIPT_TEX, font_size=font_size)[0]
    if len(sup) != len(_SUPERSCRIPT_CHARS) + 1:
        raise RuntimeError(f"expected {len(_SUPERSCRIPT_CHARS) + 1} glyphs from {_SUPERSCRIPT_TEX!r}, got {len(sup)}")
    em = (ref[9].get_center()[0] - ref[0].get_center()[0]) / 9 / 0.5
    pts = {}
    for keys, glyphs, baseline in (
        (_GLYPH_CHARS, ref, ref[0].get_bottom()[1]),
        (["^" + ch for ch in _SUPERSCRIPT_CHARS], sup[1:], sup[0].get_bottom()[1]),
    ):
        for key, g in zip(keys, glyphs, strict=True):
            p = g.points.copy()
            p[:, 0] -= g.get_center()[0]
            p[:, 1] -= baseline
            pts[key] = p
    return pts, em


def glyph_cells(text: str) -> list[tuple[str, float]]:
    """The glyphs that draw ``text`` and the advance of each, in em (a key ``""`` is a space).

    ``"-0.0123"`` is drawn as written (with TeX's minus sign); a number in ``e`` notation, as the
    formatters write tiny and huge values, as TeX would set it: ``"-1.5e-05"`` is
    ``−1.5 × 10⁻⁵``; ``"inf"`` and ``"-inf"`` are ``∞`` and ``−∞``.

    Raises
    ------
    ValueError
        If ``text`` is none of these (see :data:`GLYPH_TEXT_HELP`).
    """
    body = text.replace("inf", "∞")
    mantissa, e, exponent = body.partition("e")
    bad = set(mantissa) - set(_GLYPH_CHARS) | ({"×"} & set(mantissa))
    try:
        power = int(exponent) if e else None
    except ValueError:
        power, bad = None, bad | {exponent}
    if bad or (e and not mantissa):
        raise ValueError(f"GlyphNumber cannot show {text!r} (allowed: {GLYPH_TEXT_HELP})")
    cells = [(ch, _ADVANCE_EM[ch]) for ch in mantissa]
    if power is not None:
        cells += [("", _OP_SPACE_EM), ("×", _ADVANCE_EM["×"]), ("", _OP_SPACE_EM), ("1", 0.5), ("0", 0.5)]
        cells += [("^" + ch, _SUPERSCRIPT_ADVANCE_EM[ch]) for ch in str(power)]
    return cells


def text_width_em(text: str) -> float:
    """How wide :class:`GlyphNumber` draws ``text``, in em (multiply by its :attr:`~GlyphNumber.em`)."""
    return sum(advance for _, advance in glyph_cells(text))


class GlyphNumber(VGroup):
    """A number whose glyphs are typeset once and re-placed when the text changes.

    Changing the text costs an array concatenation instead of a LaTeX run and SVG parse, so it
    can change every frame; and all glyphs form one path (:attr:`body`), so Manim draws one
    mobject per frame rather than one per character; no mobject is created per change. It stays
    anchored at one end: the right for a counter whose last digit does not move, the left for a
    number that follows a label such as ``J =``. It draws what the formatters of
    :mod:`scenes.common.format` write, whatever the value: digits, ``.``, ``%`` and ``-`` (drawn
    as TeX's minus sign), ``e`` notation as a power of ten (``1.5e-05`` is ``1.5 × 10⁻⁵``) and
    ``inf`` as ``∞`` (:func:`glyph_cells`). Digits share one advance width, so a counter does not
    jitter. Nothing limits its length: a layout reserves room for the widest text it may show
    with :meth:`width_of`.

    Parameters
    ----------
    text : str
        Initial text.
    font_size : float
    color : ManimColor
    align : {"right", "left"}
        Which end stays put when the text changes.

    Attributes
    ----------
    anchor : VMobject
        Invisible; marks the baseline at the aligned end, so the number can be moved.
    body : VMobject
        The glyphs (the part that changes).
    em : float
        The font's em in scene units.

    Notes
    -----
    Position it with ``move_to``/``next_to``/``shift`` or :meth:`set_anchor`; do not scale it
    (new text is placed at ``font_size``).
    """

    def __init__(
        self,
        text: str = "0",
        *,
        font_size: float = 28,
        color: ManimColor = TEXT,
        align: str = "right",
    ) -> None:
        super().__init__()
        if align not in ("left", "right"):
            raise ValueError(f"align must be 'left' or 'right', got {align!r}")
        self.align = align
        self.glyph_points, self.em = _glyphs(float(font_size))
        self.anchor = VMobject(stroke_opacity=0, fill_opacity=0).set_points(np.zeros((4, 3)))
        self.body = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        self.add(self.anchor, self.body)
        self.text = ""
        self.set_text(text)

    @property
    def anchor_point(self) -> np.ndarray:
        """The aligned end of the baseline, shape ``(3,)``."""
        return self.anchor.points[0].copy()

    def width_of(self, *texts: str) -> float:
        """The width, in scene units, of the widest of ``texts`` as this number draws it."""
        return max(text_width_em(t) for t in texts) * self.em

    def set_anchor(self, point: Sequence[float] | np.ndarray) -> GlyphNumber:
        """Put the aligned end of the baseline at ``point`` and lay the text out again there."""
        self.anchor.set_points(np.tile([float(point[0]), float(point[1]), 0.0], (4, 1)))
        text, self.text = self.text, ""
        return self.set_text(text)

    def set_text(self, text: str) -> GlyphNumber:
        """Show ``text`` (a no-op if unchanged).

        Raises
        ------
        ValueError
            If ``text`` is not a number this can draw (:data:`GLYPH_TEXT_HELP`).
        """
        if text == self.text:
            return self
        cells = glyph_cells(text)
        x = self.anchor.points[0, 0] - (sum(a for _, a in cells) * self.em if self.align == "right" else 0.0)
        y = self.anchor.points[0, 1]
        pieces = []
        for key, advance in cells:
            width = advance * self.em
            if key:
                pieces.append(self.glyph_points[key] + np.array([x + width / 2, y, 0.0]))
            x += width
        if pieces:
            self.body.set_points(np.concatenate(pieces))
        else:
            self.body.clear_points()
        self.text = text
        return self


def run_texts(history: History, kind: str) -> list[str]:
    """Every text a :class:`HistoryNumber` of ``kind`` shows over the run (the iteration: the widest, its last).

    A layout reserves :meth:`GlyphNumber.width_of` the widest of them, so no value of the run
    outgrows its place.
    """
    if kind == "iteration":
        return [str(history.iterations)]
    if kind == "cost":
        return [cost_text(float(c)) for c in np.unique(history.cost)]
    if kind == "accuracy":
        return [percent_text(float(a)) for a in np.unique(history.accuracy)]
    if kind == "test_accuracy":
        return [percent_text(float(a)) for a in np.unique(history.more["test_accuracy"])]
    raise ValueError(f"kind must be one of {', '.join(HistoryNumber.KINDS)}, got {kind!r}")


class IterationReadout(VGroup):
    """``iteration``, ``cost`` and ``accuracy`` of the iteration shown, in aligned rows.

    Parameters
    ----------
    history : History
    iteration : int
    font_size : float
    """

    def __init__(self, history: History, iteration: int = 0, *, font_size: float = 28) -> None:
        super().__init__()
        self.history = history
        T = history.iterations
        names = [r"\text{iteration}", r"\text{cost}", r"\text{accuracy}"]
        self.labels = VGroup(*[MathTex(n, font_size=font_size, color=MUTED) for n in names])
        self.labels.arrange(DOWN, aligned_edge=LEFT, buff=0.22 * font_size / 28)
        self.value_colors = (TEXT, HIGHLIGHT, TEXT)
        self.numbers = [GlyphNumber("0", font_size=font_size, color=c) for c in self.value_colors]
        # The numbers' column is as wide as the widest text of the run (at least 7 digits' width).
        chars = max(len(str(T)), 6, len(self.cost_text(0))) + 1
        texts = [run_text for kind in ("iteration", "cost", "accuracy") for run_text in run_texts(history, kind)]
        width = max(chars * 0.5 * self.numbers[0].em, self.numbers[0].width_of(*texts))
        num_x = self.labels.get_right()[0] + 0.3 + width
        for label, number in zip(self.labels, self.numbers, strict=True):
            number.set_anchor([num_x, label[0][0].get_bottom()[1]])
        self.add(self.labels, *self.numbers)
        self.iteration: int | None = None
        self.set_iteration(iteration)

    def cost_text(self, i: int) -> str:
        """The cost of iteration ``i`` as shown."""
        return cost_text(float(self.history.cost[i]))

    def accuracy_text(self, i: int) -> str:
        """The accuracy of iteration ``i`` as shown."""
        return percent_text(float(self.history.accuracy[i]))

    def moving_parts(self) -> list[Mobject]:
        """What changes with the iteration: the numbers' glyphs (labels and anchors stay)."""
        return [number.body for number in self.numbers]

    def set_iteration(self, iteration: int) -> IterationReadout:
        """Show the numbers of ``iteration`` (beyond the run, of its last one)."""
        i = clamp_iteration(self.history, iteration)
        if i != self.iteration:
            self.numbers[0].set_text(str(i))
            self.numbers[1].set_text(self.cost_text(i))
            self.numbers[2].set_text(self.accuracy_text(i))
            self.iteration = i
        return self


class HistoryNumber(GlyphNumber):
    """One number of a history that follows the clock: the iteration, its cost or its accuracy.

    A compact label for small panels (e.g. the accuracy under each of several boundaries).

    Parameters
    ----------
    history : History
    kind : {"iteration", "cost", "accuracy", "test_accuracy"}
        ``test_accuracy`` needs a run with a test set.
    iteration : int
    font_size : float
    color : ManimColor
    align : {"right", "left"}
    """

    KINDS = ("iteration", "cost", "accuracy", "test_accuracy")

    def __init__(
        self,
        history: History,
        kind: str,
        iteration: int = 0,
        *,
        font_size: float = 24,
        color: ManimColor = TEXT,
        align: str = "left",
    ) -> None:
        if kind not in self.KINDS:
            raise ValueError(f"kind must be one of {', '.join(self.KINDS)}, got {kind!r}")
        self.history, self.kind = history, kind
        self.iteration: int | None = None
        super().__init__(self.text_of(iteration), font_size=font_size, color=color, align=align)
        self.iteration = clamp_iteration(history, iteration)

    @property
    def widest(self) -> float:
        """The width of the widest text this number shows over the run, in scene units (for layouts)."""
        return self.width_of(*run_texts(self.history, self.kind))

    def text_of(self, iteration: int) -> str:
        """The text shown for ``iteration``."""
        i = clamp_iteration(self.history, iteration)
        if self.kind == "iteration":
            return str(i)
        if self.kind == "cost":
            return cost_text(float(self.history.cost[i]))
        if self.kind == "test_accuracy":
            return percent_text(float(self.history.more["test_accuracy"][i]))
        return percent_text(float(self.history.accuracy[i]))

    def moving_parts(self) -> list[Mobject]:
        """What changes with the iteration: the glyphs (not the anchor)."""
        return [self.body]

    def set_iteration(self, iteration: int) -> HistoryNumber:
        """Show the value of ``iteration`` (beyond the run, of its last one)."""
        i = clamp_iteration(self.history, iteration)
        if i != self.iteration:
            self.set_text(self.text_of(i))
            self.iteration = i
        return self


__all__ = ["GlyphNumber", "HistoryNumber", "IterationReadout"]
