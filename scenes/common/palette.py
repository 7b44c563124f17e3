"""One palette for the whole lecture, as Manim colours: classes, a sign→colour map, and symbol colours.

``python -c "from scenes.common.palette import SYMBOL_COLORS; print(SYMBOL_COLORS)"``

Every scene takes its colours from here, so a symbol (``W^{[1]}``, ``A^{[2]}`` …) has one colour
throughout the lecture, the two classes are always the same red and blue (as in the course's
plots and the original animation), and a weight or gradient is blue when positive and red when
negative, wider when larger. The values themselves live in :mod:`scenes.common.colors` (no Manim),
with the NumPy maps ``probability_rgb`` and ``value_rgb`` that rasters use.
"""

from __future__ import annotations

from manim import ManimColor, interpolate_color

from scenes.common.colors import (
    CLASS_0_HEX,
    CLASS_1_HEX,
    HIGHLIGHT_HEX,
    MUTED_HEX,
    NEGATIVE_HEX,
    NEUTRAL_HEX,
    POSITIVE_HEX,
    TEXT_HEX,
)

# --- classes -----------------------------------------------------------------------------------
CLASS_0 = ManimColor(CLASS_0_HEX)  # label y = 0: red, as in the course's plots
CLASS_1 = ManimColor(CLASS_1_HEX)  # label y = 1: blue
CLASS_COLORS = (CLASS_0, CLASS_1)

# --- signed values (weights, gradients) --------------------------------------------------------
POSITIVE = ManimColor(POSITIVE_HEX)  # blue
NEGATIVE = ManimColor(NEGATIVE_HEX)  # red
NEUTRAL = ManimColor(NEUTRAL_HEX)  # a value near zero

# --- symbols in formulas -----------------------------------------------------------------------
SYMBOL_COLORS: dict[str, ManimColor] = {
    "W^{[1]}": ManimColor("#4ECDC4"),
    "b^{[1]}": ManimColor("#A0E7E5"),
    "Z^{[1]}": ManimColor("#B388EB"),
    "A^{[1]}": ManimColor("#D4B5F7"),
    "W^{[2]}": ManimColor("#FF9F1C"),
    "b^{[2]}": ManimColor("#FFBF69"),
    "Z^{[2]}": ManimColor("#F15BB5"),
    "A^{[2]}": ManimColor("#F79AD3"),
    "X": ManimColor("#FFD166"),
    "Y": ManimColor("#9BE564"),
}
"""TeX of each symbol → its colour. Use :func:`scenes.common.tex.formula` to apply it."""

TEXT = ManimColor(TEXT_HEX)
MUTED = ManimColor(MUTED_HEX)
HIGHLIGHT = ManimColor(HIGHLIGHT_HEX)


def value_color(value: float, scale: float) -> ManimColor:
    """Colour of a signed value: grey near zero, blue when positive, red when negative.

    Parameters
    ----------
    value : float
        A weight, gradient or other signed quantity.
    scale : float
        The magnitude at which the colour is fully saturated (e.g. the largest ``|value|`` shown).
    """
    t = 0.0 if scale <= 0 else min(abs(value) / scale, 1.0)
    return interpolate_color(NEUTRAL, POSITIVE if value >= 0 else NEGATIVE, 0.25 + 0.75 * t)


def value_width(value: float, scale: float, min_width: float = 0.75, max_width: float = 8.0) -> float:
    """Stroke width for a signed value: growing with ``|value| / scale``, clipped to a range."""
    t = 0.0 if scale <= 0 else min(abs(value) / scale, 1.0)
    return float(min_width + (max_width - min_width) * t)
