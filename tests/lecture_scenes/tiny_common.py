"""Shared by the tiny test scenes (``manim render -ql tests/lecture_scenes/tiny_a.py TinyA``).

The lecture builder's tests copy this folder, point a fixture ``render.toml`` at the copies and
edit them: a change here must re-render every tiny scene, a change to one scene only that one.
"""

from __future__ import annotations

from scenes.common import load_history


def final_cost() -> str:
    """The run's final cost as the captions show it (from ``$NN_HISTORY``)."""
    return f"{float(load_history().cost[-1]):.6f}"
