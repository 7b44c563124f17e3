"""``python -m lecture gif SEGMENT [--from T] [--to T] [--width PX] [--fps N] [--quality PRESET]``: loops for pages.

Course pages, wikis and READMEs embed short loops where a video player does not fit. This
command writes a palette-optimised GIF and an animated WebP of a rendered segment, or of a
stretch of it, from the render the build cached (nothing is rendered)::

    python -m lecture gif decision_boundary --from early --to late --quality preview

``--from``/``--to`` are seconds from the segment's start (``31.3``, ``1:05.2``) or the name of one
of its beats (``--from`` takes the beat's start, ``--to`` its end; the beats are in the render's
``scene.json``). The render is the one the lecture at that quality uses (its ``manifest.json``
names it); a segment the last build left out falls back to its most recent render.

How the GIF is made (:func:`write_loops`), with FFmpeg's filters through PyAV, in two passes
over the decoded frames, scaled with an area filter to ``--width``:

1. ``palettegen`` counts the colours of every frame of the stretch and picks one global palette
   of 255 colours (the 256th is kept transparent);
2. ``paletteuse`` maps every frame to it with ordered (Bayer) dithering, whose pattern stays put
   from frame to frame where the picture does, and FFmpeg's GIF encoder stores each frame as the
   rectangle that changed, its unchanged pixels transparent.

Error diffusion (Floyd-Steinberg, Sierra) looks a little smoother but moves its noise in every
frame, which costs frame differencing: the decision boundary's training run (36 s at 15 fps,
480 px wide) is 3.5 MB with Bayer dithering, 5.7 MB with Sierra's, 15-20 MB from Pillow's
quantiser and GIF writer (which keep no transparency between frames). Frame delays are whole
centiseconds in a GIF, so they alternate (7, 6, 7 cs at 15 fps) and the loop keeps the video's
clock. The WebP is lossy (libwebp through Pillow, quality 70, a key frame every 3 to 5 frames)
from the same scaled frames: full colour without dithering, 2.1 MB for the training run; its
4:2:0 colour makes thin coloured strokes a little paler than in the GIF.

Bad input (an unknown segment or beat, a time outside the segment, a width or frame rate out of
range, no render at that quality) is one line and exit code 2, like the build's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

import av
from PIL import Image

from lecture.errors import LectureError
from lecture.render import RenderedSegment, load_cached
from lecture.settings import Preset, RenderSettings, load_render_settings
from lecture.timeline import read_scene_record
from nncore.paths import DEFAULT_BUILD_DIR, DEFAULT_RENDER_CONFIG

DEFAULT_WIDTH = 480
"""Pixels: wide enough to read the lecture's numbers, small enough for a page (never wider than the render)."""

MIN_WIDTH = 16
DEFAULT_FPS = 15
"""The loops' frame rate unless ``--fps`` says otherwise (or the render's, if lower)."""

GIF_BUDGET = 5_000_000
"""Bytes: what a page can embed comfortably; a bigger GIF gets a hint in the output line."""

WEBP_QUALITY = 70
"""libwebp's lossy quality (0-100) for the WebP: about 60 % of the GIF's size, no visible blocks."""

WEBP_METHOD = 4
"""libwebp's effort (0-6): 4 makes the training run's WebP 20 % smaller than 0 (2.1 MB, not 2.7), for 40 % more CPU."""

PALETTEUSE = "dither=bayer:bayer_scale=3:diff_mode=rectangle"
_EPS = Fraction(1, 10**6)  # beat times are floats; a frame within a microsecond of a time is at that time
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
    if t1 - t0 <= _EPS:
        raise LectureError(
            f"--from {start or 0} ({float(t0):.2f} s) is not before --to {end or 'the end'} ({float(t1):.2f} s); "
            "give a start before the end"
        )
    labels = [_label(text) for text in (start, end) if text is not None]
    return t0, t1, labels


def _label(text: str) -> str:
    seconds = parse_time(text)
    return text if seconds is None else f"{float(seconds):g}s"


def _frames(video: Path, start: Fraction, end: Fraction, fps: int, size: tuple[int, int]) -> Iterator[av.VideoFrame]:
    """The frames shown at ``start``, ``start + 1/fps``, ... before ``end``, scaled to ``size``, as rgb24."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        tb = stream.time_base
        assert tb is not None
        if start > 0:
            container.seek(int(start / tb), stream=stream, backward=True, any_frame=False)
        k = 0
        shown: av.VideoFrame | None = None  # the frame on screen
        scaled: av.VideoFrame | None = None  # it, scaled

        def target(k: int) -> Fraction:
            return start + Fraction(k, fps)

        def scale(frame: av.VideoFrame) -> av.VideoFrame:  # only frames that are shown, once each
            return frame.reformat(width=size[0], height=size[1], format="rgb24", interpolation="AREA")

        for frame in container.decode(stream):
            t = Fraction(frame.pts) * tb if frame.pts is not None else Fraction(0)
            while shown is not None and t > target(k) + _EPS:  # ``shown`` is on screen at target(k)
                if target(k) >= end - _EPS:
                    return
                if scaled is None:
                    scaled = scale(shown)
                yield scaled
                k += 1
            shown, scaled = frame, None
        while shown is not None and target(k) < end - _EPS:  # the last frame stays until the end
            if scaled is None:
                scaled = scale(shown)
            yield scaled
            k += 1


def _timed(frame: av.VideoFrame, pts: int, time_base: Fraction) -> av.VideoFrame:
    copy = av.VideoFrame.from_ndarray(frame.to_ndarray(), format=frame.format.name)
    copy.pts, copy.time_base = pts, time_base
    return copy


def _palette(frames: Iterator[av.VideoFrame], size: tuple[int, int], fps: int) -> av.VideoFrame:
    """Pass 1: one palette for every frame (FFmpeg's ``palettegen``: 255 colours and a transparent one)."""
    graph = av.filter.Graph()
    src = graph.add_buffer(width=size[0], height=size[1], format="rgb24", time_base=Fraction(1, fps))
    gen = graph.add("palettegen", "stats_mode=full:max_colors=256:reserve_transparent=1")
    sink = graph.add("buffersink")
    src.link_to(gen)
    gen.link_to(sink)
    graph.configure()
    for i, frame in enumerate(frames):
        src.push(_timed(frame, i, Fraction(1, fps)))
        try:  # asking for output makes palettegen count this frame now, instead of queueing every frame
            sink.pull()
        except av.error.BlockingIOError:
            pass
    src.push(None)
    palette = sink.pull()
    assert isinstance(palette, av.VideoFrame)
    return palette


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")


def frame_count(start: Fraction, end: Fraction, fps: int) -> int:
    """How many frames at ``fps`` a loop from ``start`` to ``end`` has (one at ``start + k / fps`` before ``end``)."""
    return max(0, math.ceil((end - _EPS - start) * fps))


def durations_ms(frames: int, fps: int, unit: int = 1) -> list[int]:
    """Each frame's display time in milliseconds, in whole ``unit``s, adding up to the video's clock.

    A GIF counts in centiseconds (``unit=10``): at 15 fps the frames last 70, 60, 70 ms, ... so
    that frame ``k`` starts at ``k / 15`` s to the nearest centisecond, with no drift.
    """
    ticks = [round(Fraction(1000 * k, fps * unit)) for k in range(frames + 1)]
    return [unit * (b - a) for a, b in zip(ticks, ticks[1:], strict=False)]


class _GifWriter:
    """Pass 2 of the GIF: ``paletteuse`` with the pass-1 palette, then FFmpeg's GIF encoder, frame by frame."""

    def __init__(self, path: Path, palette: av.VideoFrame, size: tuple[int, int], fps: int) -> None:
        self.tb = Fraction(1, fps)
        self.graph = av.filter.Graph()
        self.src = self.graph.add_buffer(width=size[0], height=size[1], format="rgb24", time_base=self.tb)
        pal = self.graph.add_buffer(
            width=palette.width, height=palette.height, format=palette.format.name, time_base=self.tb
        )
        use = self.graph.add("paletteuse", PALETTEUSE)
        self.sink = self.graph.add("buffersink")
        self.src.link_to(use, 0, 0)
        pal.link_to(use, 0, 1)
        use.link_to(self.sink)
        self.graph.configure()
        palette.pts, palette.time_base = 0, self.tb
        pal.push(palette)
        pal.push(None)  # one palette for every frame
        self.container = av.open(str(path), "w", format="gif")  # loops forever by default
        self.stream = self.container.add_stream("gif", rate=fps)
        self.stream.width, self.stream.height, self.stream.pix_fmt = size[0], size[1], "pal8"
        self.stream.time_base = Fraction(1, 100)  # the muxer rounds each frame's start to a centisecond

    def add(self, frame: av.VideoFrame, index: int) -> None:
        """Map frame number ``index`` to the palette and encode it."""
        self.src.push(_timed(frame, index, self.tb))
        self._drain()

    def _drain(self) -> None:
        while True:
            try:
                out = self.sink.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return
            assert isinstance(out, av.VideoFrame)
            out.time_base = self.tb
            for packet in self.stream.encode(out):
                self.container.mux(packet)

    def close(self) -> None:
        """Flush the filter and the encoder and close the file."""
        self.src.push(None)
        self._drain()
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()


class _FrameSequence(Image.Image):
    """Decoded frames as one multi-frame image for Pillow's WebP writer, which seeks through them in order.

    Only the current frame is in memory (Pillow's ``append_images`` takes multi-frame images; a
    list of every frame of a 100-second stretch would hold gigabytes).
    """

    def __init__(self, frames: Iterator[Image.Image], n_frames: int, size: tuple[int, int]) -> None:
        super().__init__()
        self._mode, self._size = "RGB", size
        self._frames, self.n_frames, self._index = frames, n_frames, -1
        self.is_animated = n_frames > 1

    def seek(self, frame: int) -> None:
        """Move to ``frame``: the next one (frames are decoded once, in order)."""
        if frame == self._index:
            return
        if frame != self._index + 1:
            raise EOFError(f"frame {frame} requested after frame {self._index}; frames are read once, in order")
        self.im = next(self._frames).im
        self._index = frame

    def tell(self) -> int:
        """The current frame's number."""
        return self._index


def write_loops(
    video: Path, start: Fraction, end: Fraction, fps: int, size: tuple[int, int], gif: Path, webp: Path
) -> int:
    """Write the GIF and the WebP of ``video`` from ``start`` to ``end``; return their frame count.

    Pass 1 makes the GIF's palette; pass 2 decodes the frames again and hands each to both the
    GIF's ``paletteuse`` and the WebP encoder (Pillow's, which puts a key frame every 3 to 5
    frames; with FFmpeg's ``libwebp_anim`` the slowly changing field grew visible blocks over the
    training run, lossy errors piling up from frame to frame). Both files are written under
    temporary names and renamed into place, so a reader never sees half a file.
    """
    n = frame_count(start, end, fps)
    palette = _palette(_frames(video, start, end, fps, size), size, fps)
    gif_tmp, webp_tmp = _temporary(gif), _temporary(webp)
    try:
        writer = _GifWriter(gif_tmp, palette, size, fps)
        written = 0

        def pictures() -> Iterator[Image.Image]:  # feeds the GIF as Pillow pulls the WebP's frames
            nonlocal written
            for i, frame in enumerate(_frames(video, start, end, fps, size)):
                writer.add(frame, i)
                written += 1
                yield frame.to_image()

        try:
            frames = pictures()
            first = next(frames)
            rest = [_FrameSequence(frames, n - 1, size)] if n > 1 else []
            first.save(
                webp_tmp,
                format="WEBP",
                save_all=True,
                append_images=rest,
                duration=durations_ms(n, fps),
                loop=0,
                quality=WEBP_QUALITY,
                method=WEBP_METHOD,
            )
            for _ in frames:  # none should be left; keep the GIF whole if Pillow stopped early
                pass
            writer.close()
        except BaseException:
            writer.container.close()
            raise
        if written != n:
            raise LectureError(
                f"{video}: expected {n} frames from {float(start):.2f} s to {float(end):.2f} s, got {written}"
            )
        os.replace(gif_tmp, gif)
        os.replace(webp_tmp, webp)
    finally:
        gif_tmp.unlink(missing_ok=True)
        webp_tmp.unlink(missing_ok=True)
    return n


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


def _positive_int(what: str) -> Any:
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what} as a whole number, got {text!r}") from None

    return parse


interrupted = "interrupted: no loop written (an older one with the same name is unchanged)"
"""What ``python -m lecture`` prints when Ctrl-C or ``kill`` stops ``gif`` (its temporary files are removed)."""


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``gif`` command to ``python -m lecture``'s subcommands (``sub``, from ``add_subparsers``)."""
    g: argparse.ArgumentParser = sub.add_parser(
        "gif",
        help="write a GIF and an animated WebP of a rendered segment (or a stretch of it) for a page",
        description="Write a palette-optimised GIF and an animated WebP of a segment's cached render.",
    )
    g.add_argument("segment", metavar="SEGMENT", help="a segment's name, as in the render config")
    g.add_argument(
        "--from",
        dest="start",
        metavar="T",
        help="start: seconds from the segment's start (31.3, 1:05) or a beat's name",
    )
    g.add_argument("--to", dest="end", metavar="T", help="end: seconds from the segment's start or a beat's name")
    g.add_argument(
        "--width",
        type=_positive_int("a width in pixels"),
        metavar="PX",
        help=f"width in pixels (default {DEFAULT_WIDTH}; at most the render's)",
    )
    g.add_argument(
        "--fps",
        type=_positive_int("a frame rate"),
        metavar="N",
        help=f"frames per second (default {DEFAULT_FPS}; at most the render's)",
    )
    g.add_argument("--quality", metavar="PRESET", help="whose render to use (default: the render config's default)")
    g.add_argument(
        "--output",
        type=Path,
        metavar="FILE.gif",
        help="the GIF's path, the WebP beside it (default <build dir>/loops/<quality>/<segment>...gif)",
    )
    g.add_argument(
        "--render-config",
        type=Path,
        default=DEFAULT_RENDER_CONFIG,
        help=f"presets and segment list (default {DEFAULT_RENDER_CONFIG})",
    )
    g.add_argument(
        "--build-dir", type=Path, default=DEFAULT_BUILD_DIR, help=f"build folder (default {DEFAULT_BUILD_DIR})"
    )
    return g


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``python -m lecture gif`` with the parsed ``args``; return the exit code (0, or 2 on bad input)."""
    out = out or sys.stdout
    err = err or sys.stderr
    request = LoopRequest(
        segment=args.segment,
        start=args.start,
        end=args.end,
        width=args.width,
        fps=args.fps,
        quality=args.quality,
        render_config=args.render_config,
        build_dir=args.build_dir,
        output=args.output,
    )
    try:
        loop = make_loop(request)
    except LectureError as error:
        print(f"error: {error}", file=err)
        return error.exit_code
    print(loop.describe(), file=out)
    return 0
