"""Numbers that change every frame without re-typesetting: digits composed from pre-rendered glyphs.

``manim render -ql scenes/backprop.py Backprop`` uses it for the iteration counter of its replay.

An :class:`~manim.Integer` or :class:`~manim.DecimalNumber` whose value changes every frame is
typeset by LaTeX again each time (slow, and each new value is a new compile). A
:class:`GlyphNumber` typesets the characters ``0-9 . -`` once per font size and colour and then
composes any number from copies of those glyphs, so an updater can call :meth:`GlyphNumber.set_text`
every frame cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import ManimColor, MathTex, VectorizedPoint, VGroup, VMobject

from scenes.common.palette import TEXT

GLYPH_CHARS = "0123456789.-"
"""The characters a :class:`GlyphNumber` can show (``-`` is drawn as a TeX minus sign)."""

_GLYPHS: dict[tuple[float, str], dict[str, tuple[VMobject, float]]] = {}


def _glyph_set(font_size: float, color: ManimColor) -> dict[str, tuple[VMobject, float]]:
    """Each character's glyph and its vertical offset from the digits' baseline (cached)."""
    key = (float(font_size), ManimColor(color).to_hex())
    if key not in _GLYPHS:
        # One TeX run for all characters keeps their relative heights (the minus sits mid-line).
        tex = MathTex(r"0123456789.{-}", font_size=font_size, color=color)
        glyphs = list(tex.family_members_with_points())
        if len(glyphs) != len(GLYPH_CHARS):
            raise RuntimeError(f"expected {len(GLYPH_CHARS)} glyphs, TeX produced {len(glyphs)}")
        baseline = glyphs[0].get_bottom()[1]
        _GLYPHS[key] = {
            c: (g.copy(), float(g.get_center()[1] - baseline)) for c, g in zip(GLYPH_CHARS, glyphs, strict=True)
        }
    return _GLYPHS[key]


class GlyphNumber(VGroup):
    """A number drawn from pre-rendered glyphs, cheap to change every frame.

    Parameters
    ----------
    text : str
        The characters to show, from :data:`GLYPH_CHARS` (e.g. ``"117"``, ``"-0.5927"``).
    font_size : float
    color : ManimColor, optional
        Default the text colour.

    Notes
    -----
    The number stays anchored at its left end and baseline when its text changes (moving the
    group moves the anchor), so it can sit after a static label such as ``J =``. The first
    submobject is that invisible anchor point; the glyphs follow it.
    """

    def __init__(self, text: str, font_size: float = 30, color: object = None) -> None:
        super().__init__()
        self.font_size = float(font_size)
        self.glyph_color = ManimColor(color or TEXT)
        self._glyphs = _glyph_set(self.font_size, self.glyph_color)
        # Digits share one cell width (as in print), so a counter does not jitter as it changes.
        self._digit_cell = max(self._glyphs[d][0].width for d in "0123456789")
        self._gap = 0.1 * self._digit_cell
        # Left end of the baseline; a point mobject so that it moves with the group.
        self._anchor = VectorizedPoint(np.zeros(3))
        self.text = ""
        self.set_text(text)

    def set_text(self, text: str) -> GlyphNumber:
        """Show ``text`` instead, keeping the left end and baseline where they are.

        Raises
        ------
        ValueError
            If ``text`` contains a character that has no glyph.
        """
        bad = sorted({c for c in text if c not in GLYPH_CHARS})
        if bad:
            raise ValueError(f"GlyphNumber cannot show {bad!r}; allowed characters: {GLYPH_CHARS!r}")
        self.text = text
        x, y = self._anchor.get_center()[:2]
        parts: list[VMobject] = [self._anchor]
        for c in text:
            glyph, dy = self._glyphs[c]
            g = glyph.copy()
            cell = self._digit_cell if c.isdigit() else g.width
            g.move_to([x + cell / 2, y + dy, 0])
            parts.append(g)
            x += cell + self._gap
        self.submobjects = parts
        return self

    def anchor_at(self, point: Sequence[float]) -> GlyphNumber:
        """Put the left end of the number's baseline at ``point`` (and keep it there on changes)."""
        self._anchor.move_to([point[0], point[1], 0.0])
        return self.set_text(self.text)

    def baseline_left(self) -> np.ndarray:
        """The anchor: the left end of the baseline."""
        return self._anchor.get_center()
