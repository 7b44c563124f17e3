"""Copies of formulas and other SVG-built mobjects share their parsed SVG path instead of copying it.

Every animation copies mobjects (a ``Transform`` copies its target, a fade its faded version,
``Mobject.copy`` is a deep copy), and manim 0.22 keeps, on every glyph of a ``MathTex`` (a
``VMobjectFromSVGPath``), the ``svgelements.Path`` it was built from: the points and segment
objects of the parsed SVG, a thousand Python objects for a one-line formula. A deep copy copies
them all, though manim reads that path only while building the glyph (``generate_points``) and
never changes it afterwards. Copying a typical formula took 20 ms; in the backprop segment at
480p15, 659 copies were 15 of its 42 CPU-seconds.

:func:`install` makes the copies share that path (the memo of ``copy.deepcopy`` is told the path
is already copied: itself). Points, colours and everything else are copied as before, so every
frame is the same (``tests/test_scene_common.py`` compares copies and frames with and without
it; ``benchmarks/bench_svg_copies.py`` measures the time, and the backprop segment's video came
out byte for byte the same). It is
installed by the first beat of every narrated scene (:class:`scenes.common.narration.Narrated`),
only on the manim version it was written against.
"""

from __future__ import annotations

from typing import Any

PATCHED_MANIM = "0.22.0"
"""The manim version whose ``VMobjectFromSVGPath`` keeps ``path_obj`` only to build its points."""


def _deepcopy_sharing_path(self: Any, memo: dict[int, Any]) -> Any:
    """``Mobject.__deepcopy__`` with the glyph's parsed SVG path shared, not copied."""
    from manim.mobject.mobject import Mobject

    path = self.__dict__.get("path_obj")
    if path is not None:
        memo.setdefault(id(path), path)
    return Mobject.__deepcopy__(self, memo)


def install() -> bool:
    """Make copies of ``VMobjectFromSVGPath`` share ``path_obj``; return whether it is installed.

    Idempotent; does nothing (returns ``False``) on another manim version.
    """
    import manim
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    if manim.__version__ != PATCHED_MANIM:
        return False
    VMobjectFromSVGPath.__deepcopy__ = _deepcopy_sharing_path  # type: ignore[method-assign, assignment]
    return True


def uninstall() -> None:
    """Put manim's own deep copy back (for comparisons and benchmarks)."""
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    if VMobjectFromSVGPath.__dict__.get("__deepcopy__") is _deepcopy_sharing_path:
        del VMobjectFromSVGPath.__deepcopy__
