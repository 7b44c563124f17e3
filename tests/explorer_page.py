"""A lecture page with the run explorer, made without rendering: for the explorer's browser tests.

:func:`make_page` writes ``index.html`` exactly as the build does (:func:`lecture.page.lecture_page.page_html`
with :func:`lecture.page.explorer.prepare_explorer`), around a synthetic ``lecture.mp4`` of black
frames whose chapters are a title, the decision-boundary segment and a closing. The manifest
carries that segment's clock as a render records it (``series.clock``: ``[seconds, iteration]``
in lecture time, one entry per change of the iteration shown), built from the scene's own
schedule: the clock runs through ``training_schedule`` at ``fps`` frames a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import av
import numpy as np
from PIL import Image

from lecture.assemble.captions import Cue, chapters, to_vtt
from lecture.assemble.companions import Chapter
from lecture.page.explorer import Explorer, prepare_explorer
from lecture.page.lecture_page import page_html
from lecture.render.inputs import history_digest
from nncore import History

TITLE_SECONDS = 3.0
BEFORE_CLOCK = 4.0  # seconds of the segment before its clock starts (its first beats)
AFTER_CLOCK = 4.0  # and after it stops (the result)


@dataclass
class Page:
    """What :func:`make_page` wrote."""

    folder: Path
    index: Path
    history: History
    explorer: Explorer
    manifest: dict[str, Any]
    clock: list[list[float]]  # [[lecture seconds, iteration], ...]


def clock_series(history: History, fps: int, start: float) -> list[list[float]]:
    """The decision-boundary clock as the scene records it: one frame per scheduled iteration."""
    from scenes.common.clock import sample_iterations

    schedule = sample_iterations(history.iterations, round(36 * fps) + 1, history.cost)
    return [[round(start + k / fps, 6), int(i)] for k, i in enumerate(schedule)]


def write_video(path: Path, seconds: float, fps: int = 4, size: tuple[int, int] = (64, 36)) -> None:
    """``seconds`` of black frames, H.264 (what ``lecture.mp4`` is), tiny and quick to encode."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((size[1], size[0], 3), np.uint8), format="rgb24")
        for _ in range(round(seconds * fps)):
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def make_page(folder: Path, history: History, fps: int = 15, *, follow: bool = True, video: bool = True) -> Page:
    """Write a lecture page around ``history`` into ``folder`` (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    clock_len = len(clock_series(history, fps, 0.0))
    seg_seconds = BEFORE_CLOCK + clock_len / fps + AFTER_CLOCK
    durations = [TITLE_SECONDS, round(seg_seconds, 3), 2.0]
    names = ["title", "decision_boundary", "summary"]
    titles = ["The run this lecture explains", "Training moves the decision boundary", "Summary"]
    starts = [0.0, durations[0], durations[0] + durations[1]]
    clock = clock_series(history, fps, starts[1] + BEFORE_CLOCK)
    segments = [
        {"name": n, "title": t, "start": s, "duration": d}
        for n, t, s, d in zip(names, titles, starts, durations, strict=True)
    ]
    if follow:
        segments[1]["series"] = {"clock": clock}
    manifest: dict[str, Any] = {"segments": segments}
    explorer = prepare_explorer(history, history_digest(history), manifest, folder / "cache")

    chs = [
        Chapter(
            SimpleNamespace(name=n, title=t),  # type: ignore[arg-type]
            SimpleNamespace(duration=Fraction(d).limit_denominator(1000)),  # type: ignore[arg-type]
            Fraction(s).limit_denominator(1000),
            i + 1,
        )
        for i, (n, t, s, d) in enumerate(zip(names, titles, starts, durations, strict=True))
    ]
    chapter_cues = chapters(titles, [c.rendered.duration for c in chs])
    captions = [Cue(Fraction(0), Fraction(2), "opening caption")]
    if video:
        write_video(folder / "lecture.mp4", sum(durations))
    Image.new("RGB", (64, 36)).save(folder / "poster.png")
    (folder / "thumbs").mkdir(exist_ok=True)
    for c in chs:
        Image.new("RGB", (320, 180), (30, 34, 40)).save(folder / c.thumb_name)
    html = page_html(
        "Explainable training: a test page",
        ["a fact", "another"],
        chs,
        to_vtt(chapter_cues, ids=names),
        to_vtt(captions),
        (854, 480),
        "footer",
        explorer.data,
    )
    index = folder / "index.html"
    index.write_text(html, encoding="utf-8")
    return Page(folder, index, history, explorer, manifest, clock)
