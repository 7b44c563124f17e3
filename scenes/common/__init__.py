"""Pieces every scene shares: history loading, the palette, formulas, matrices, the network diagram.

``python -c "import scenes.common"`` imports them; scenes use
``from scenes.common import NetworkDiagram, load_history, ...``.
"""

from __future__ import annotations

from scenes.common.history import HISTORY_ENV, history_path, load_history
from scenes.common.matrix import ValueMatrix
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
    probability_rgb,
    value_color,
    value_width,
)
from scenes.common.tex import fmt, formula, tex_number

__all__ = [
    "CLASS_0",
    "CLASS_1",
    "CLASS_COLORS",
    "HIGHLIGHT",
    "HISTORY_ENV",
    "MUTED",
    "NEGATIVE",
    "NEUTRAL",
    "POSITIVE",
    "SYMBOL_COLORS",
    "TEXT",
    "NetworkDiagram",
    "ValueMatrix",
    "fmt",
    "formula",
    "history_path",
    "load_history",
    "probability_rgb",
    "tex_number",
    "value_color",
    "value_width",
]
