"""What every beat's last picture must satisfy, checked without rendering a frame.

``python -m scenes.common.layout_check scenes/backprop.py Backprop`` plays one segment with its
animations skipped and no video written (``$NN_HISTORY`` and the sweep variables pick its numbers,
as for ``manim render``) and prints every problem, one line each; exit code 1 if there is one.

At the end of every beat and of every line a beat says in turn
(:meth:`~scenes.common.narration.Narrated.beat_ended`, :meth:`~scenes.common.narration.Narrated.line_ended`),
with everything of that moment on screen:

- **in the frame**: every visible drawn piece (a mobject with points and some opacity) lies inside
  the frame, :data:`FRAME_MARGIN` from its edges;
- **no overlapping texts**: no two texts (a ``MathTex``/``Tex``/``Text``, a
  :class:`~scenes.common.numbers.GlyphNumber`, a decimal number: each counted whole, its glyphs
  not apart) overlap by more than :data:`OVERLAP_TOLERANCE` both ways. Shapes (highlight boxes,
  arrows, curves, pictures) may lie over texts; a text meant to lie over another is declared with
  :func:`overlay`.

And every caption the segment said must be good narration
(:func:`voice.spoken.caption_problems`: not too long, numbers rounded for a listener and
said as written, a count of one in the singular).

:func:`check_segment` runs a scene class in this process with manim's animations skipped and
``dry_run`` set (manim computes every mobject and every position, but draws, encodes and writes
nothing), so a segment costs seconds instead of its render's minute: fast enough to try many
configurations (``tests/test_layout_property.py``).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from manim import (
    DecimalNumber,
    MarkupText,
    Mobject,
    Scene,
    SingleStringMathTex,
    Text,
    ValueTracker,
    VMobject,
    config,
    tempconfig,
)

from scenes.common.numbers import GlyphNumber
from voice.spoken import caption_problems

FRAME_MARGIN = 0.05
"""How far inside the frame's edges everything must stay, in scene units (the frame is 14.2 × 8)."""

OVERLAP_TOLERANCE = 0.02
"""Two texts overlap when their boxes share more than this, in scene units, both across and up."""

OVERLAY_ATTR = "layout_overlay"
"""Set on a mobject by :func:`overlay`: it may lie over other texts."""

TEXT_TYPES: tuple[type[Mobject], ...] = (SingleStringMathTex, Text, MarkupText, DecimalNumber, GlyphNumber)
"""What counts as one text (its glyphs are not checked against each other)."""

M = TypeVar("M", bound=Mobject)


def overlay(mob: M) -> M:
    """Declare that ``mob`` (and its family) lies over other texts on purpose; returns ``mob``."""
    setattr(mob, OVERLAY_ATTR, True)
    return mob


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a beat's picture.

    Attributes
    ----------
    beat : str
    kind : {"off-frame", "overlap", "caption", "error"}
    message : str
        What and where, in one line.
    """

    beat: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"beat '{self.beat}': {self.message}"


Box = tuple[float, float, float, float]
"""``(x_min, y_min, x_max, y_max)`` of a mobject, in scene units."""


def box(mob: Mobject) -> Box:
    """The :data:`Box` round ``mob`` and its family's points."""
    points = np.concatenate([m.points for m in mob.get_family() if len(m.points)])
    lo, hi = points.min(axis=0), points.max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


@dataclass(frozen=True)
class LayoutSnapshot:
    """Where the blocks of a scene's picture are at one moment of a beat (its fullest, usually).

    The one record of a picture's layout: a scene that keeps its own (the backprop segment's
    ``layout``, one per beat) makes them with :meth:`of`; its tests check that no two blocks overlap
    and that everything on screen lies inside the frame.

    Attributes
    ----------
    section : str
        The beat.
    blocks : dict
        A name for each block of the picture (``heading``, ``diagram``, ``right 0`` …) → its :data:`Box`.
    on_screen : list of Box
        Every mobject in the scene at that moment that has points.
    """

    section: str
    blocks: dict[str, Box]
    on_screen: list[Box]

    @classmethod
    def of(cls, scene: Scene, section: str, blocks: Mapping[str, Mobject]) -> LayoutSnapshot:
        """The snapshot of ``scene`` now, with the named ``blocks``."""
        on_screen = [
            box(m)
            for m in scene.mobjects
            if not isinstance(m, ValueTracker) and any(len(f.points) for f in m.get_family())
        ]
        return cls(section, {name: box(mob) for name, mob in blocks.items()}, on_screen)


def _visible(mob: Mobject) -> bool:
    """Drawn at all: an image, or a vector shape with some fill or stroke."""
    if isinstance(mob, ValueTracker) or not len(mob.points):
        return False
    if isinstance(mob, VMobject):
        return bool(mob.get_fill_opacity() > 0 or mob.get_stroke_opacity() > 0)
    return True


def _any_visible(mob: Mobject) -> bool:
    return any(_visible(m) for m in mob.get_family())


def describe(mob: Mobject) -> str:
    """A short name of ``mob`` for a message: its type and, for a text, what it says."""
    name = type(mob).__name__
    text = getattr(mob, "tex_string", None) or getattr(mob, "text", None)
    if isinstance(mob, DecimalNumber):
        text = f"{mob.get_value():g}"
    if isinstance(text, str) and text:
        text = " ".join(text.split())
        return f"{name} '{text[:40]}{'…' if len(text) > 40 else ''}'"
    return name


def _texts(mob: Mobject, overlaid: bool = False) -> Iterator[tuple[Mobject, bool]]:
    """The texts in ``mob``'s family, outermost first (a text's parts are not texts of their own)."""
    overlaid = overlaid or bool(getattr(mob, OVERLAY_ATTR, False))
    if isinstance(mob, TEXT_TYPES):
        yield mob, overlaid
        return
    for sub in mob.submobjects:
        yield from _texts(sub, overlaid)


def off_frame(scene: Scene, beat: str) -> list[Problem]:
    """Every visible drawn piece that is not :data:`FRAME_MARGIN` inside the frame."""
    half_w = config.frame_width / 2 - FRAME_MARGIN
    half_h = config.frame_height / 2 - FRAME_MARGIN
    problems: list[Problem] = []
    for top in scene.mobjects:
        outside = []
        for m in top.get_family():
            if not _visible(m):
                continue
            x0, y0, x1, y1 = box(m)
            over = max(-half_w - x0, x1 - half_w, -half_h - y0, y1 - half_h)
            if over > 0:
                outside.append((over, m))
        if outside:
            over, worst = max(outside, key=lambda o: o[0])
            x0, y0, x1, y1 = box(worst)
            where = f"({x0:.2f}, {y0:.2f})-({x1:.2f}, {y1:.2f})"
            part = "" if worst is top else f" in {describe(top)}"
            problems.append(
                Problem(beat, "off-frame", f"{describe(worst)}{part} at {where} leaves the frame by {over:.2f}")
            )
    return problems


def overlapping_texts(scene: Scene, beat: str) -> list[Problem]:
    """Every pair of visible texts whose boxes overlap (neither declared an :func:`overlay`)."""
    texts = [
        (m, box(m))
        for top in scene.mobjects
        for m, overlaid in _texts(top)
        if not overlaid and _any_visible(m) and any(len(f.points) for f in m.get_family())
    ]
    problems: list[Problem] = []
    for i, (a, (ax0, ay0, ax1, ay1)) in enumerate(texts):
        for b, (bx0, by0, bx1, by1) in texts[i + 1 :]:
            dx = min(ax1, bx1) - max(ax0, bx0)
            dy = min(ay1, by1) - max(ay0, by0)
            if dx > OVERLAP_TOLERANCE and dy > OVERLAP_TOLERANCE:
                problems.append(
                    Problem(beat, "overlap", f"{describe(a)} and {describe(b)} overlap by {dx:.2f} × {dy:.2f}")
                )
    return problems


def beat_problems(scene: Scene, beat: str) -> list[Problem]:
    """What is wrong with the picture on screen now, at the end of ``beat``."""
    return off_frame(scene, beat) + overlapping_texts(scene, beat)


S = TypeVar("S", bound=Scene)


def checked(scene_class: type[S]) -> type[S]:
    """A subclass of a narrated scene that checks its picture at the end of every beat.

    The problems of each beat's end and of each line's end are appended to the scene's
    ``layout_problems`` (a list of :class:`Problem`); the beats checked to ``layout_beats``.
    """

    def beat_ended(self: Any, name: str) -> None:
        scene_class.beat_ended(self, name)  # type: ignore[attr-defined]
        self.__dict__.setdefault("layout_problems", []).extend(beat_problems(self, name))
        self.__dict__.setdefault("layout_beats", []).append(name)

    def line_ended(self: Any, line: str) -> None:
        scene_class.line_ended(self, line)  # type: ignore[attr-defined]
        self.__dict__.setdefault("layout_problems", []).extend(beat_problems(self, f"{self.beat_name}, line {line}"))

    return type(scene_class.__name__, (scene_class,), {"beat_ended": beat_ended, "line_ended": line_ended})


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set the environment variables ``values`` for the block (a history, sweeps), then restore them."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass(frozen=True)
class SegmentCheck:
    """What :func:`check_segment` found.

    Attributes
    ----------
    beats : list of str
        The beats played, in order.
    problems : list of Problem
    captions : list of str
        Every caption said, in order.
    """

    beats: list[str]
    problems: list[Problem]
    captions: list[str] = field(default_factory=list)


def _load_class(scene_file: str | Path, class_name: str) -> type[Scene]:
    """The scene class ``class_name`` of ``scene_file`` (a path from the repository root)."""
    import importlib

    path = Path(scene_file)
    module = ".".join(path.with_suffix("").parts)
    return getattr(importlib.import_module(module), class_name)


def check_segment(scene_file: str | Path, class_name: str, env: Mapping[str, str] | None = None) -> SegmentCheck:
    """Play one segment in this process, animations skipped, nothing drawn or written; check every beat.

    Parameters
    ----------
    scene_file : str or Path
        The scene's file, relative to the repository root (the current directory), e.g.
        ``scenes/backprop.py``.
    class_name : str
    env : mapping, optional
        Environment variables for the run (``NN_HISTORY``, ``NN_SWEEPS``, ``NN_SWEEP_DIR``).

    Returns
    -------
    SegmentCheck
    """
    scene_class = checked(_load_class(scene_file, class_name))
    settings = {
        "dry_run": True,
        "disable_caching": True,
        "quality": "low_quality",
        "verbosity": "ERROR",
        "progress_bar": "none",
    }
    said = io.StringIO()
    with environment(env or {}), tempconfig(settings):
        scene = scene_class(skip_animations=True)
        failure = []
        try:
            with contextlib.redirect_stderr(said):
                scene.render()
        except (Exception, SystemExit) as err:  # a segment that fails is a problem of its beat, in one line
            # A scene refuses bad input with one line on stderr and exit code 2: that line says why.
            lines = [line for line in said.getvalue().splitlines() if line.startswith("error: ")]
            why = lines[-1] if isinstance(err, SystemExit) and lines else _one_line(err)
            failure.append(Problem(getattr(scene, "beat_name", "") or "(before the first)", "error", why))
        finally:
            sys.stderr.write(said.getvalue())
    beats = list(getattr(scene, "layout_beats", []))
    said_badly = [
        Problem(beat.name, "caption", f"caption {_quote(line.text)}: {'; '.join(problems)}")
        for beat in getattr(scene, "beats", [])
        for line in beat.lines
        if (problems := caption_problems(line.text))
    ]
    captions = [line.text for beat in getattr(scene, "beats", []) for line in beat.lines]
    check = SegmentCheck(beats, list(getattr(scene, "layout_problems", [])) + said_badly + failure, captions)
    # A scene and its mobjects refer to one another, so only the cycle collector frees them, and
    # with them the histories they read (a sweep's runs of a long mini-batch run: gigabytes). Free
    # them now, before the next segment loads its own.
    del scene
    gc.collect()
    return check


def _quote(text: str, most: int = 60) -> str:
    return repr(text if len(text) <= most else text[: most - 1] + "…")


def _one_line(err: BaseException) -> str:
    """``Type: message (at file:line)``, the line being the innermost one of the project's code."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    where = f" (at {Path(ours[-1].filename).name}:{ours[-1].lineno})" if ours else ""
    message = " ".join(str(err).split())
    return f"{type(err).__name__}: {message}{where}"


def main(argv: list[str] | None = None) -> int:
    """``python -m scenes.common.layout_check FILE CLASS``: print the segment's problems; 1 if any."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m scenes.common.layout_check FILE CLASS", file=sys.stderr)
        return 2
    result = check_segment(args[0], args[1])
    for problem in result.problems:
        print(f"{args[0]}: {problem}")
    print(f"{args[0]}: {len(result.beats)} beats checked, {len(result.problems)} problem(s)", file=sys.stderr)
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["Problem", "SegmentCheck", "beat_problems", "check_segment", "checked", "overlay"]
