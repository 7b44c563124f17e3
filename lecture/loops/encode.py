"""The GIF and the animated WebP of a stretch of a render: two passes of FFmpeg's filters, through PyAV.

:func:`lecture.loops.make_loop.make_loop` calls :func:`write_loops` with the render, the stretch
and the size it resolved.

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
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

from lecture.errors import LectureError

EPS = Fraction(1, 10**6)
"""Beat times are floats; a frame within a microsecond of a time is at that time."""


WEBP_QUALITY = 70
"""libwebp's lossy quality (0-100) for the WebP: about 60 % of the GIF's size, no visible blocks."""


WEBP_METHOD = 4
"""libwebp's effort (0-6): 4 makes the training run's WebP 20 % smaller than 0 (2.1 MB, not 2.7), for 40 % more CPU."""


PALETTEUSE = "dither=bayer:bayer_scale=3:diff_mode=rectangle"


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
            while shown is not None and t > target(k) + EPS:  # ``shown`` is on screen at target(k)
                if target(k) >= end - EPS:
                    return
                if scaled is None:
                    scaled = scale(shown)
                yield scaled
                k += 1
            shown, scaled = frame, None
        while shown is not None and target(k) < end - EPS:  # the last frame stays until the end
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
    src = graph.add_buffer(width=size[0], height=size[1], format=av.VideoFormat("rgb24"), time_base=Fraction(1, fps))
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
    return max(0, math.ceil((end - EPS - start) * fps))


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
        self.src = self.graph.add_buffer(
            width=size[0], height=size[1], format=av.VideoFormat("rgb24"), time_base=self.tb
        )
        pal = self.graph.add_buffer(
            width=palette.width, height=palette.height, format=palette.format, time_base=self.tb
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
