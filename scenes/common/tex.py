"""Formulas and numbers as every scene shows them: symbol colours applied, values rounded sensibly.

``python -c "from scenes.common.tex import fmt; print(fmt(-0.0123456))"``
"""

from __future__ import annotations

import math
from typing import Any

from manim import MathTex

from scenes.common.palette import SYMBOL_COLORS, TEXT


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


def tex_number(value: float, digits: int = 3) -> str:
    r"""TeX source of :func:`fmt`: a proper minus sign and ``\times 10^{k}`` for tiny values."""
    s = fmt(value, digits)
    if "e" in s:
        mantissa, exp = s.split("e")
        s = rf"{mantissa}\times 10^{{{int(exp)}}}"
    return "{-}" + s[1:] if s.startswith("-") else s


def formula(tex: str, **kwargs: Any) -> MathTex:
    """A :class:`~manim.MathTex` with every lecture symbol isolated and coloured from the palette.

    Parameters
    ----------
    tex : str
        TeX source, e.g. ``r"Z^{[1]} = W^{[1]} X + b^{[1]}"``. Symbols must be written exactly as
        the keys of :data:`scenes.common.palette.SYMBOL_COLORS` to be coloured.
    **kwargs
        Passed to :class:`~manim.MathTex` (``font_size`` …).
    """
    present = [s for s in SYMBOL_COLORS if s in tex]
    kwargs.setdefault("color", TEXT)
    mob = MathTex(tex, substrings_to_isolate=present, **kwargs)
    for symbol in present:
        mob.set_color_by_tex(symbol, SYMBOL_COLORS[symbol])
    return mob
