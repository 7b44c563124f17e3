"""Shared by the tiny test scenes (``manim render -ql tests/lecture_scenes/tiny_a.py TinyA``).

The lecture builder's tests copy this folder, point a fixture ``render.toml`` at the copies and
edit them: a change here must re-render every tiny scene, a change to one scene only that one.
The scenes are narrated (:class:`scenes.common.narration.Narrated`) so that every render writes a
scene record, but their captions take no reading time: each segment lasts as long as its
animations, about a second.
"""

from __future__ import annotations

from scenes.common.history import load_history


def final_cost() -> str:
    """The run's final cost as the captions show it (from ``$NN_HISTORY``)."""
    return f"{float(load_history().cost[-1]):.6f}"


def iterations() -> int:
    """The run's number of iterations (the last one a clock would show)."""
    return load_history().iterations
