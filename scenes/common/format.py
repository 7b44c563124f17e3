"""Numbers and lists as the lecture writes them, in captions and in TeX: one formatter (no Manim).

``python -c "from scenes.common.format import caption_number; print(caption_number(-0.0123456))"``

:func:`fmt` decides the digits (about three significant ones, scientific notation for tiny
values, so nothing real is rounded to a misleading ``0.000``); :func:`caption_number` writes
that for a caption (a typographic minus), :func:`tex_number` for TeX. The readouts' cost and
accuracy (:func:`cost_text`, :func:`percent_text`) and the lists a caption reads out are here too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

MINUS = "\u2212"
"""The typographic minus sign captions use."""


def fmt(value: float, digits: int = 3) -> str:
    """Format a real number for the screen with about ``digits`` significant digits.

    Large and moderate values get fixed decimals (``1.204``, ``-12.3``); tiny ones scientific
    notation (``3.1e-05``) so that nothing real is rounded to a misleading ``0.000``.

    Parameters
    ----------
    value : float
    digits : int
        Significant digits.

    Returns
    -------
    str
        Uses an ASCII hyphen for the minus sign; :func:`tex_number` makes it a TeX minus.
    """
    v = float(value)
    if v == 0 or not math.isfinite(v):
        return f"{v:.{max(digits - 1, 0)}f}" if v == 0 else str(v)
    exponent = math.floor(math.log10(abs(v)))
    if exponent < -4:
        return f"{v:.{max(digits - 1, 0)}e}".replace("e-0", "e-")
    decimals = max(digits - 1 - exponent, 0)
    return f"{v:.{decimals}f}"


def cost_text(value: float, digits: int = 4) -> str:
    """A cost as the readouts show it: ``digits`` significant digits, never ``e``-notation."""
    s = fmt(float(value), digits)
    return s if "e" not in s else f"{float(value):.{digits + 2}f}"


def percent_text(fraction: float) -> str:
    """An accuracy as shown: percent with two decimals (a 400-point accuracy is a multiple of 0.25 %)."""
    return f"{100 * float(fraction):.2f}%"


def caption_number(value: float, digits: int = 3, *, plain: bool = False, exact_zero: bool = False) -> str:
    """A number for a caption: :func:`fmt` with a typographic minus sign.

    Parameters
    ----------
    value : float
    digits : int
        Significant digits.
    plain : bool
        Never scientific notation (:func:`cost_text`'s rule), for values a caption compares.
    exact_zero : bool
        Write an exact zero as ``0`` (it is exactly zero, not rounded), not ``0.00``.
    """
    if exact_zero and value == 0:
        return "0"
    return (cost_text(value, digits) if plain else fmt(value, digits)).replace("-", MINUS)


def vector_text(values: Iterable[float], digits: int = 3) -> str:
    """``(v1, v2, …)`` for a caption, each entry a :func:`caption_number`."""
    return "(" + ", ".join(caption_number(v, digits) for v in values) + ")"


def tex_number(value: float, digits: int = 3, *, exact_zero: bool = False) -> str:
    r"""TeX source of :func:`fmt`: a proper minus sign and ``\times 10^{k}`` for tiny values.

    ``exact_zero`` writes an exact zero as ``0``, as :func:`caption_number` does.
    """
    if exact_zero and value == 0:
        return "0"
    s = fmt(value, digits)
    if "e" in s:
        mantissa, exp = s.split("e")
        s = rf"{mantissa}\times 10^{{{int(exp)}}}"
    return "{-}" + s[1:] if s.startswith("-") else s


def spoken_list(items: Sequence[str]) -> str:
    """Items as a sentence lists them: ``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def dataset_name(value: str) -> str:
    """A data set's name as spoken (``gaussian_quantiles`` → ``gaussian quantiles``)."""
    return str(value).replace("_", " ")
