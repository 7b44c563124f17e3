"""The lecture's colours as plain values, and the NumPy maps from numbers to pixels (no Manim).

``python -c "from scenes.common.colors import CLASS_0_HEX, probability_rgb"``. The palette
(:mod:`scenes.common.palette`) wraps these values as Manim colours for the scenes; rasters (the
decision-boundary field) and the lecture's page use them directly, so a colour is written once.
"""

from __future__ import annotations

import numpy as np

# --- the palette, as hex -------------------------------------------------------------------------
CLASS_0_HEX = "#E8553E"  # label y = 0: red, as in the course's plots
CLASS_1_HEX = "#2F8FE0"  # label y = 1: blue
POSITIVE_HEX = "#58C4DD"  # a positive weight or gradient: blue
NEGATIVE_HEX = "#FC6255"  # a negative one: red
NEUTRAL_HEX = "#5A5A5A"  # a value near zero
TEXT_HEX = "#ECECEC"
MUTED_HEX = "#9A9A9A"
HIGHLIGHT_HEX = "#FFE066"

PROBABILITY_MID = (0.09, 0.09, 0.11)
"""The dark neutral of probability 0.5 (the seam between the classes' colours), RGB in [0, 1]."""

PROBABILITY_DIM = 0.55
"""Brightness of a fully confident field colour (the data points drawn on top stay brighter)."""


def rgb(hex_color: str) -> np.ndarray:
    """``#RRGGBB`` as floats in [0, 1], shape ``(3,)`` (each channel ``value / 255``, as Manim reads it)."""
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)], dtype=float)


def probability_rgb(p: np.ndarray, dim: float = PROBABILITY_DIM) -> np.ndarray:
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
    c0 = rgb(CLASS_0_HEX) * dim
    c1 = rgb(CLASS_1_HEX) * dim
    mid = np.array(PROBABILITY_MID)
    t = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)[..., None]  # (h, w, 1)
    lo = mid + (c0 - mid) * np.clip(1.0 - 2.0 * t, 0.0, 1.0)  # towards red below 0.5
    hi = mid + (c1 - mid) * np.clip(2.0 * t - 1.0, 0.0, 1.0)  # towards blue above 0.5
    out = np.where(t < 0.5, lo, hi)
    return (np.clip(out, 0.0, 1.0) * 255).astype(np.uint8)


def value_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """Signed values to RGB pixels, as :func:`~scenes.common.palette.value_color` colours one value.

    Grey near zero, towards blue when positive and red when negative, fully saturated at
    ``|value| >= scale``; the sign change shows as a seam (where a tanh unit crosses 0).

    Parameters
    ----------
    values : ndarray, shape (h, w)
    scale : float

    Returns
    -------
    ndarray, shape (h, w, 3), dtype uint8
    """
    v = np.asarray(values, dtype=float)[..., None]  # (h, w, 1)
    t = np.zeros_like(v) if scale <= 0 else np.minimum(np.abs(v) / scale, 1.0)
    alpha = 0.25 + 0.75 * t
    neutral = rgb(NEUTRAL_HEX)
    target = np.where(v >= 0, rgb(POSITIVE_HEX), rgb(NEGATIVE_HEX))  # (h, w, 3)
    out = neutral + (target - neutral) * alpha
    return np.rint(np.clip(out, 0.0, 1.0) * 255).astype(np.uint8)
