"""The cache of rendered segments: ``build/segments/<quality>/<name>/<key[:16]>/``, one complete render each.

``python -m lecture build`` looks a segment up here by its input hash (:func:`load_cached`) before
rendering it (:mod:`lecture.render.segment` moves a finished render in with one rename), keeps the
three most recently used older renders of each segment (:func:`prune`) and removes what an
interrupted build left (:func:`clean_stale`). The deck and the loops read their renders from here too.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

SCENE_RECORD_NAME = "scene.json"
"""A render's record of its beats and series, in its folder (``Narrated.scene_record``, ``$NN_SCENE_RECORD``)."""


@dataclass(frozen=True)
class RenderedSegment:
    """A complete render in the cache (the content of its ``segment.json``).

    Attributes
    ----------
    name : str
    key : str
        The input hash it was rendered for.
    folder : Path
        ``build/segments/<quality>/<name>/<key[:16]>``.
    duration : Fraction
        Seconds, exactly (frames / fps).
    frames : int
    render_seconds : float
        Wall-clock time the render took when it was made.
    components : dict
        The hashed inputs (see :func:`lecture.render.inputs.segment_components`).
    """

    name: str
    key: str
    folder: Path
    duration: Fraction
    frames: int
    render_seconds: float
    components: dict[str, str]

    @property
    def video(self) -> Path:
        """The segment's ``.mp4``."""
        return self.folder / "segment.mp4"

    @property
    def srt(self) -> Path:
        """Its subcaptions (an empty file when the scene has none)."""
        return self.folder / "segment.srt"

    @property
    def thumb(self) -> Path:
        """A 320-pixel-wide JPEG of its middle frame."""
        return self.folder / "thumb.jpg"

    @property
    def record(self) -> Path:
        """What the scene did (its beats, lines and series, in segment time); absent if it wrote none."""
        return self.folder / SCENE_RECORD_NAME


def cache_folder(segments_dir: Path, name: str, key: str) -> Path:
    """Where the render of segment ``name`` with input hash ``key`` lives."""
    return segments_dir / name / key[:16]


def load_cached(segments_dir: Path, name: str, key: str) -> RenderedSegment | None:
    """The cached render for this input hash, or ``None`` if there is none (or it is damaged)."""
    folder = cache_folder(segments_dir, name, key)
    try:
        meta = json.loads((folder / "segment.json").read_text(encoding="utf-8"))
        seg = RenderedSegment(
            name=meta["name"],
            key=meta["key"],
            folder=folder,
            duration=Fraction(meta["duration"]),
            frames=int(meta["frames"]),
            render_seconds=float(meta["render_seconds"]),
            components=dict(meta["components"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if seg.key != key or not all(p.is_file() for p in (seg.video, seg.srt, seg.thumb)):
        return None
    if seg.video.stat().st_size != meta.get("video_bytes"):
        return None
    return seg


def last_render(segments_dir: Path, name: str) -> dict[str, Any]:
    """The ``segment.json`` of the most recent render of ``name`` at this preset (``{}`` if none).

    Whatever its inputs were, it predicts the next render: how long it takes (renders are started
    longest first) and how many animations it plays (the progress display's total).
    """
    metas = []
    for path in (segments_dir / name).glob("*/segment.json"):
        try:
            metas.append((path.stat().st_mtime, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return max(metas, key=lambda m: m[0])[1] if metas else {}


def clean_stale(segments_dir: Path) -> None:
    """Remove temporary render folders left by an interrupted build (the caller holds the lock)."""
    if segments_dir.is_dir():
        for p in segments_dir.glob(".tmp-*"):
            shutil.rmtree(p, ignore_errors=True)


def prune(segments_dir: Path, keep_keys: dict[str, set[str]], keep: int = 3) -> None:
    """Keep, per segment, the renders in use and the ``keep`` most recently used others.

    ``keep_keys``: each segment's input hashes in use (a build of several lectures uses one render
    of a segment per config that draws it differently).
    """
    if not segments_dir.is_dir():
        return
    for seg_dir in segments_dir.iterdir():
        if not seg_dir.is_dir() or seg_dir.name.startswith("."):
            continue
        entries = [p for p in seg_dir.iterdir() if p.is_dir()]
        entries.sort(key=lambda p: (p / "segment.json").stat().st_mtime if (p / "segment.json").exists() else 0)
        in_use = {k[:16] for k in keep_keys.get(seg_dir.name, set())}
        others = [p for p in entries if p.name not in in_use]  # oldest first
        for p in others[: max(len(others) - keep, 0)]:
            shutil.rmtree(p, ignore_errors=True)
