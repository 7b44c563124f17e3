"""Formulas as every scene shows them: TeX with the lecture's symbols coloured from the palette.

``python -c "from scenes.common.tex import formula"``; numbers inside formulas come from
:func:`scenes.common.format.tex_number`.
"""

from __future__ import annotations

from typing import Any

from manim import MathTex

from scenes.common.palette import SYMBOL_COLORS, TEXT


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
