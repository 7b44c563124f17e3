"""Formulas as every scene shows them: TeX with the lecture's symbols coloured from the palette.

``python -c "from scenes.common.tex import formula"``; numbers inside formulas come from
:func:`scenes.common.format.tex_number`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manim import MathTex
from manim.mobject.text import tex_mobject

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


class _Asked(Exception):
    """Raised by :func:`_tex_call`'s stand-in for ``tex_to_svg_file``: what manim asked for, nothing typeset."""

    def __init__(self, call: tuple[str, str | None, Any]) -> None:
        super().__init__()
        self.call = call


def _tex_call(tex: str, kwargs: dict[str, Any]) -> tuple[str, str | None, Any]:
    """What ``MathTex(tex, **kwargs)`` asks ``tex_to_svg_file`` for (expression, environment, template); no TeX run."""
    installed = tex_mobject.tex_to_svg_file

    def ask(expression: str, environment: str | None = None, tex_template: Any = None) -> Any:
        raise _Asked((expression, environment, tex_template))

    tex_mobject.tex_to_svg_file = ask
    try:
        MathTex(tex, **kwargs)
    except _Asked as asked:
        return asked.call
    finally:
        tex_mobject.tex_to_svg_file = installed
    raise RuntimeError(f"MathTex({tex!r}) typeset nothing")  # pragma: no cover - manim always asks


def prefetch(texs: Iterable[str], **kwargs: Any) -> int:
    """Have the formulas ``MathTex(tex, **kwargs)`` of every ``tex`` typeset together, before they are made.

    Typesetting one formula is mostly starting LaTeX and dvisvgm (0.19 CPU-s); with the shared TeX
    cache of the build and the tests (``$NN_TEX_CACHE``), the ones it does not hold are typeset in
    one run of each (:mod:`lecture.render.tex_batch`), the same pictures, and the ``MathTex`` made
    afterwards read them. Without that cache (``manim render`` on its own) it does nothing and
    manim typesets each formula when it is made, as always.

    Parameters
    ----------
    texs : iterable of str
        The formulas' TeX, as they will be given to :class:`~manim.MathTex`.
    **kwargs
        What they will be made with (only what changes the TeX source matters: ``tex_environment``,
        ``tex_template``, ``substrings_to_isolate`` ...; ``font_size`` and ``color`` do not).

    Returns
    -------
    int
        How many were typeset now.
    """
    typeset_many = getattr(tex_mobject.tex_to_svg_file, "typeset_many", None)
    if typeset_many is None:
        return 0
    unique = list(dict.fromkeys(texs))
    return int(typeset_many([_tex_call(tex, kwargs) for tex in unique]))
