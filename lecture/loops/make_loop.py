"""A loop of a segment for a page (``python -m lecture gif SEGMENT``): which render, which stretch, which size.

Course pages, wikis and READMEs embed short loops where a video player does not fit. This
command writes a palette-optimised GIF and an animated WebP of a rendered segment, or of a
stretch of it, from the render the build cached (nothing is rendered)::

    python -m lecture gif decision_boundary --from early --to late --quality preview

``--from``/``--to`` are seconds from the segment's start (``31.3``, ``1:05.2``) or the name of one
of its beats (``--from`` takes the beat's start, ``--to`` its end; the beats are in the render's
``scene.json``). The render is the one the lecture at that quality uses (its ``manifest.json``
names it); a segment the last build left out falls back to its most recent render.

The GIF and the WebP are written by :mod:`lecture.loops.encode` (how, and why so).

Bad input (an unknown segment or beat, a time outside the segment, a width or frame rate out of
range, no render at that quality) is one line and exit code 2, like the build's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from lecture.assemble.timeline import read_scene_record
from lecture.errors import LectureError
from lecture.loops.encode import EPS, write_loops
from lecture.render.cache import RenderedSegment, load_cached
from lecture.settings import Preset, RenderSettings, load_render_settings
from nncore.paths import DEFAULT_BUILD_DIR, DEFAULT_RENDER_CONFIG

DEFAULT_WIDTH = 480
"""Pixels: wide enough to read the lecture's numbers, small enough for a page (never wider than the render)."""

MIN_WIDTH = 16
DEFAULT_FPS = 15
"""The loops' frame rate unless ``--fps`` says otherwise (or the render's, if lower)."""

GIF_BUDGET = 5_000_000
"""Bytes: what a page can embed comfortably; a bigger GIF gets a hint in the output line."""


_TIME = re.compile(r"^(?:(\d+):)?(\d+(?:\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class LoopRequest:
    """What ``python -m lecture gif`` was asked for.

    Attributes
    ----------
    segment : str
        The segment's name in the render settings.
    start, end : str or None
        ``--from`` and ``--to``: seconds from the segment's start or a beat's name; ``None`` for the
        segment's start or end.
    width : int or None
        Pixels (``None``: :data:`DEFAULT_WIDTH`, or the render's width if smaller).
    fps : int or None
        Frames per second (``None``: :data:`DEFAULT_FPS`, or the render's if lower).
    quality : str or None
        The preset whose render is used (``None``: the render settings' default).
    render_config, build_dir : Path
        As for ``python -m lecture build``.
    output : Path or None
        The GIF's path (the WebP is beside it); ``None``: ``<build dir>/loops/<quality>/...``.
    """

    segment: str
    start: str | None = None
    end: str | None = None
    width: int | None = None
    fps: int | None = None
    quality: str | None = None
    render_config: Path = DEFAULT_RENDER_CONFIG
    build_dir: Path = DEFAULT_BUILD_DIR
    output: Path | None = None


@dataclass(frozen=True)
class Loop:
    """A written loop: where, how big, and which part of which render it shows.

    Attributes
    ----------
    gif, webp : Path
    gif_bytes, webp_bytes : int
    width, height : int
    frames : int
        Frames in the GIF (the WebP merges identical neighbours into one longer frame).
    fps : int
    start, end : Fraction
        Seconds from the segment's start.
    render : RenderedSegment
        The cached render it was made from.
    note : str
        How that render was chosen.
    """

    gif: Path
    webp: Path
    gif_bytes: int
    webp_bytes: int
    width: int
    height: int
    frames: int
    fps: int
    start: Fraction
    end: Fraction
    render: RenderedSegment
    note: str

    def describe(self) -> str:
        """The output line: both files with their sizes, the picture, the stretch and the render."""
        line = (
            f"wrote {self.gif} ({_mb(self.gif_bytes)}) and {self.webp.name} ({_mb(self.webp_bytes)}): "
            f"{self.width}x{self.height}, {self.frames} frames at {self.fps} fps, "
            f"{float(self.end - self.start):.2f} s ({float(self.start):.2f}-{float(self.end):.2f} s of "
            f"{self.render.name}, {self.note})"
        )
        if self.gif_bytes > GIF_BUDGET:
            line += f"; the GIF is over {_mb(GIF_BUDGET)}: try a smaller --width or --fps, or a shorter stretch"
        return line


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"


def parse_time(text: str) -> Fraction | None:
    """Seconds written as ``12``, ``31.27`` or ``1:05.2``; ``None`` if ``text`` is not a time (a beat's name)."""
    m = _TIME.match(text.strip())
    if m is None:
        return None
    minutes, seconds = m.groups()
    return Fraction(seconds) + 60 * int(minutes or 0)


def _build_command(request: LoopRequest, preset: Preset, settings: RenderSettings) -> str:
    """The build that renders ``request.segment`` at ``preset`` (what the user runs when it has no render)."""
    cmd = ["python -m lecture build", f"--quality {preset.name}"]
    body = {s.name: s for s in settings.segments}
    if request.segment in body and not body[request.segment].enabled:
        cmd.append(f"--segments {request.segment}")
    if request.render_config != DEFAULT_RENDER_CONFIG:
        cmd.append(f"--render-config {request.render_config}")
    if request.build_dir != DEFAULT_BUILD_DIR:
        cmd.append(f"--build-dir {request.build_dir}")
    return " ".join(cmd)


def find_render(request: LoopRequest) -> tuple[RenderedSegment, Preset, str]:
    """The cached render of ``request.segment`` at its quality, the preset, and how it was chosen.

    The render the lecture at that quality is made of (its ``manifest.json`` gives the input hash);
    if the last build left the segment out, its most recent complete render.

    Raises
    ------
    LectureError
        An unknown segment or preset, or no render at that quality (naming the build that makes one).
    """
    settings = load_render_settings(request.render_config)
    preset = settings.preset(request.quality)
    names = [settings.opening.name, *(s.name for s in settings.segments), settings.closing.name]
    if request.segment not in names:
        raise LectureError(
            f"unknown segment {request.segment!r}; the segments of {settings.path} are {', '.join(names)}"
        )
    seg_dir = request.build_dir / "segments" / preset.name
    manifest_path = request.build_dir / "lecture" / preset.name / "manifest.json"
    try:
        manifest: Any = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = {s["name"]: s for s in manifest["segments"]}
    except (OSError, ValueError, KeyError, TypeError):
        entries = {}
    entry = entries.get(request.segment)
    if isinstance(entry, dict) and isinstance(entry.get("input_hash"), str):
        found = load_cached(seg_dir, request.segment, entry["input_hash"])
        if found is not None:
            return found, preset, f"the {preset.name} lecture's render {found.key[:8]}"
    for meta_path in sorted(
        (seg_dir / request.segment).glob("*/segment.json"), key=lambda p: p.stat().st_mtime, reverse=True
    ):
        try:
            key = json.loads(meta_path.read_text(encoding="utf-8"))["key"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found = load_cached(seg_dir, request.segment, key) if isinstance(key, str) else None
        if found is not None:
            return found, preset, f"its latest {preset.name} render {found.key[:8]}, not in the current lecture"
    raise LectureError(
        f"segment {request.segment!r} has no render at {preset.name} quality in {seg_dir}; "
        f"make it with: {_build_command(request, preset, settings)}"
    )


def resolve_stretch(
    render: RenderedSegment, start: str | None, end: str | None
) -> tuple[Fraction, Fraction, list[str]]:
    """``--from`` and ``--to`` as seconds from the segment's start, and the labels naming the stretch.

    Raises
    ------
    LectureError
        An unknown beat, a time outside the segment, or an end not after the start.
    """
    duration = render.duration
    record = read_scene_record(render.record)
    beats = {b["name"]: b for b in record["beats"]} if record else {}

    def at(text: str | None, flag: str, default: Fraction, edge: str) -> Fraction:
        if text is None:
            return default
        seconds = parse_time(text)
        if seconds is not None:
            if seconds > duration:
                raise LectureError(
                    f"{flag} {text} is outside segment {render.name!r}, which lasts {float(duration):.2f} s; "
                    f"use a time from 0 to {float(duration):.2f} or a beat's name"
                )
            return seconds
        if text not in beats:
            known = f"its beats are {', '.join(beats)}" if beats else "its render recorded no beats"
            raise LectureError(f"{flag} {text!r} is neither a time in seconds nor a beat of {render.name!r}; {known}")
        value = beats[text][edge]
        # recorded as floats (31.266666666666666 for 469/15): the nearest fraction with a denominator <= 10**6
        return duration if value is None else min(Fraction(value).limit_denominator(10**6), duration)

    t0 = at(start, "--from", Fraction(0), "start")
    t1 = at(end, "--to", duration, "end")
    if t1 - t0 <= EPS:
        raise LectureError(
            f"--from {start or 0} ({float(t0):.2f} s) is not before --to {end or 'the end'} ({float(t1):.2f} s); "
            "give a start before the end"
        )
    labels = [_label(text) for text in (start, end) if text is not None]
    return t0, t1, labels


def _label(text: str) -> str:
    seconds = parse_time(text)
    return text if seconds is None else f"{float(seconds):g}s"


def make_loop(request: LoopRequest) -> Loop:
    """Check the request, find the render, and write the GIF and the WebP.

    Raises
    ------
    LectureError
        Bad input (see :func:`find_render`, :func:`resolve_stretch`), a width or frame rate out of
        range, or an output folder that cannot be written.
    """
    render, preset, note = find_render(request)
    start, end, labels = resolve_stretch(render, request.start, request.end)
    width = min(DEFAULT_WIDTH, preset.width) if request.width is None else request.width
    if not MIN_WIDTH <= width <= preset.width:
        raise LectureError(
            f"--width {width} is out of range; use {MIN_WIDTH} to {preset.width} pixels "
            f"(the {preset.name} render's width; a loop is never wider than its render)"
        )
    fps = min(DEFAULT_FPS, preset.fps) if request.fps is None else request.fps
    if not 1 <= fps <= preset.fps:
        raise LectureError(f"--fps {fps} is out of range; use 1 to {preset.fps} (the {preset.name} render's rate)")
    height = max(1, round(preset.height * width / preset.width))
    if request.output is not None:
        gif = request.output
    else:
        name = "-".join([request.segment, *labels, f"{width}w"])
        gif = request.build_dir / "loops" / preset.name / f"{name}.gif"
    webp = gif.with_suffix(".webp")
    try:
        gif.parent.mkdir(parents=True, exist_ok=True)
        frames = write_loops(render.video, start, end, fps, (width, height), gif, webp)
    except OSError as err:
        raise LectureError(
            f"cannot write {gif} ({err.strerror or err}); make its folder writable or choose another with --output"
        ) from None
    return Loop(
        gif, webp, gif.stat().st_size, webp.stat().st_size, width, height, frames, fps, start, end, render, note
    )
