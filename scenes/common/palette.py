"""One palette for the whole lecture: class colours, a sign→colour map, and symbol colours.

``python -c "from scenes.common.palette import SYMBOL_COLORS; print(SYMBOL_COLORS)"``

Every scene takes its colours from here, so a symbol (``W^{[1]}``, ``A^{[2]}`` …) has one colour
throughout the lecture, the two classes are always the same red and blue (as in the course's
plots and the original animation), and a weight or gradient is blue when positive and red when
negative, wider when larger.
"""

from __future__ import annotations

import numpy as np
from manim import ManimColor, interpolate_color

# --- classes -----------------------------------------------------------------------------------
CLASS_0 = ManimColor("#E8553E")  # label y = 0: red, as in the course's plots
CLASS_1 = ManimColor("#2F8FE0")  # label y = 1: blue
CLASS_COLORS = (CLASS_0, CLASS_1)

# --- signed values (weights, gradients) --------------------------------------------------------
POSITIVE = ManimColor("#58C4DD")  # blue
NEGATIVE = ManimColor("#FC6255")  # red
NEUTRAL = ManimColor("#5A5A5A")  # a value near zero

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

TEXT = ManimColor("#ECECEC")
MUTED = ManimColor("#9A9A9A")
HIGHLIGHT = ManimColor("#FFE066")


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


def probability_rgb(p: np.ndarray, dim: float = 0.55) -> np.ndarray:
    """Map predicted probabilities to RGB pixels for a decision-boundary raster.

    ``p = 0`` is the class-0 red, ``p = 1`` the class-1 blue, ``p = 0.5`` a dark neutral, so the
    0.5 boundary shows as the dark seam between the two colours.

    Parameters
    ----------
    p : ndarray, shape (h, w)
        Probabilities in [0, 1].
    dim : float
        Brightness of the fully confident colours (the data points drawn on top stay brighter).

    Returns
    -------
    ndarray, shape (h, w, 3), dtype uint8
    """
    c0 = np.array(CLASS_0.to_rgb()) * dim
    c1 = np.array(CLASS_1.to_rgb()) * dim
    mid = np.array([0.09, 0.09, 0.11])
    t = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)[..., None]  # (h, w, 1)
    lo = mid + (c0 - mid) * np.clip(1.0 - 2.0 * t, 0.0, 1.0)  # towards red below 0.5
    hi = mid + (c1 - mid) * np.clip(2.0 * t - 1.0, 0.0, 1.0)  # towards blue above 0.5
    rgb = np.where(t < 0.5, lo, hi)
    return (np.clip(rgb, 0.0, 1.0) * 255).astype(np.uint8)
