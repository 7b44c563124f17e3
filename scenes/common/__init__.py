"""Pieces every scene shares, one concern a module.

``from scenes.common import Narrated, load_history`` gives the basics listed in ``__all__``; the rest is
imported from its module (``from scenes.common.panels import BoundaryPanel``). The basics are
imported when first asked for, so that importing a module without Manim (``scenes.common.voice``,
as the lecture build does on every run) does not import Manim through this package.

Modules that import no Manim (NumPy only; the lecture's page and tests use them too):

- :mod:`~scenes.common.colors` — the palette's values and the NumPy maps from numbers to pixels.
- :mod:`~scenes.common.format` — numbers and lists as captions and TeX write them (one formatter).
- :mod:`~scenes.common.speech` — :func:`speak`: a caption as the voice says it, and what a caption
  must be to be said (:func:`caption_problems`).
- :mod:`~scenes.common.field` — the network's output over the input plane as pixels.
- :mod:`~scenes.common.layout` — where a network diagram's nodes go, which hidden units it draws.
- :mod:`~scenes.common.voice` — the spoken lines: the installed voices, synthesis into a shared
  cache, the authors' recordings, loudness, and the timing a voice gives a line.

Modules for scenes:

- :mod:`~scenes.common.narration` — :class:`Narrated`: beats, their captions and their timing.
- :mod:`~scenes.common.history` — :func:`load_history`: the history a scene reads.
- :mod:`~scenes.common.palette` — the palette as Manim colours, symbol colours, value→colour.
- :mod:`~scenes.common.tex` — :func:`formula`: TeX with the lecture's symbols coloured.
- :mod:`~scenes.common.matrix` — :class:`ValueMatrix`: a matrix of real values with its shape.
- :mod:`~scenes.common.network` — :class:`NetworkDiagram`: the network, its weights as edges.
- :mod:`~scenes.common.clock` — :class:`~scenes.common.clock.IterationClock`, the schedule of
  iterations a run is shown at, and the view protocol its followers implement.
- :mod:`~scenes.common.raster` — fast drawing: pixel-aligned rasters, one-rectangle fades.
- :mod:`~scenes.common.panels` — framed pictures of a run: boundary, signed field, a run's card.
- :mod:`~scenes.common.numbers` — numbers composed from glyphs, cheap to change every frame.
- :mod:`~scenes.common.curves` — cost curves that grow with the clock, for one run or several.
- :mod:`~scenes.common.comparison` — a sweep's runs for the comparison segments.
- :mod:`~scenes.common.svg_copies` — copies of formulas share their parsed SVG (faster
  animations, the same frames); the first beat installs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scenes.common.colors import probability_rgb
    from scenes.common.format import caption_number, fmt, tex_number
    from scenes.common.history import history_path, load_history
    from scenes.common.matrix import ValueMatrix
    from scenes.common.narration import Narrated
    from scenes.common.network import NetworkDiagram
    from scenes.common.palette import (
        CLASS_0,
        CLASS_1,
        CLASS_COLORS,
        HIGHLIGHT,
        MUTED,
        NEGATIVE,
        NEUTRAL,
        POSITIVE,
        SYMBOL_COLORS,
        TEXT,
        value_color,
        value_width,
    )
    from scenes.common.tex import formula

_HOME = {
    "probability_rgb": "colors",
    "caption_number": "format",
    "fmt": "format",
    "tex_number": "format",
    "history_path": "history",
    "load_history": "history",
    "ValueMatrix": "matrix",
    "Narrated": "narration",
    "NetworkDiagram": "network",
    **dict.fromkeys(
        [
            "CLASS_0",
            "CLASS_1",
            "CLASS_COLORS",
            "HIGHLIGHT",
            "MUTED",
            "NEGATIVE",
            "NEUTRAL",
            "POSITIVE",
            "SYMBOL_COLORS",
            "TEXT",
            "value_color",
            "value_width",
        ],
        "palette",
    ),
    "formula": "tex",
}
"""Where each of the basics lives: ``scenes.common.<module>``."""


def __getattr__(name: str) -> Any:
    """Import one of the basics from its module on first use (PEP 562)."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CLASS_0",
    "CLASS_1",
    "CLASS_COLORS",
    "HIGHLIGHT",
    "MUTED",
    "NEGATIVE",
    "NEUTRAL",
    "POSITIVE",
    "SYMBOL_COLORS",
    "TEXT",
    "Narrated",
    "NetworkDiagram",
    "ValueMatrix",
    "caption_number",
    "fmt",
    "formula",
    "history_path",
    "load_history",
    "probability_rgb",
    "tex_number",
    "value_color",
    "value_width",
]
