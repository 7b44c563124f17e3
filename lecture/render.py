"""Render one segment with manim in a child process, atomically, into a content-addressed cache.

``python -m lecture build`` runs :func:`render_segment` for every segment whose inputs changed.
The render happens in a fresh temporary folder (manim's own media folder inside it, so parallel
renders and presets never share files); only when the video is complete, checked, captioned and
thumbnailed is the folder renamed to ``build/segments/<quality>/<name>/<hash>/``. A rename is
atomic, so that folder either holds a whole render or does not exist, whatever interrupts the
build. The child is started so that it dies with the build (Linux ``PR_SET_PDEATHSIG``), and
manim's own cache is disabled: a partial file left by a killed render is never re-used.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from lecture.errors import RenderFailed
from lecture.settings import Preset, Segment
from lecture.stitch import grab_frame, probe

HISTORY_ENV = "NN_HISTORY"
THUMB_WIDTH = 320

# Runs first in the child: ask Linux to kill it if the build dies (even by SIGKILL), make sure
# the build is still there, then become manim. The death signal survives exec.
_CHILD = """
import ctypes, os, sys
ppid = int(sys.argv[1])
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
except Exception:
    pass
if os.getppid() != ppid:
    sys.exit(137)
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""

_ANIMATION = re.compile(r"Animation (\d+) *:")


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
        The hashed inputs (see :func:`lecture.inputs.segment_components`).
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


THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""The thread pools of NumPy's BLAS, limited in each render to its share of the cores."""


def thread_share(jobs: int, cores: int | None = None) -> int:
    """The threads each of ``jobs`` renders running at once may use: its share of the cores, at least 1.

    One render alone keeps every core busy (libx264 encodes on several threads while manim draws the
    next frame); several at once get one thread each on two cores, so they do not oversubscribe
    the machine with encoder and BLAS threads that only add switching.
    """
    cores = cores or usable_cores()
    return max(1, cores // max(1, jobs))


def usable_cores() -> int:
    """The cores this process may use (its CPU affinity on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def manim_command(
    scene_file: Path, cls: str, preset: Preset, media_dir: Path, threads: int = 0, module: str = "lecture.manim_child"
) -> list[str]:
    """The ``manim render`` arguments for one segment at one preset (no caching, one output name).

    They run manim through ``module``: :mod:`lecture.manim_child`, which writes the same bytes as
    ``manim`` faster (tests and benchmarks pass ``"manim"`` to compare).

    ``threads`` is libx264's thread count (0: its own choice). It changes the encoder's bytes but not
    the picture, so it is not part of a segment's input hash.
    """
    encoder = [*preset.encoder_options(), f"threads={threads}"]
    return [
        "-m",
        module,
        "render",
        str(scene_file),
        cls,
        "--resolution",
        f"{preset.width},{preset.height}",
        "--fps",
        str(preset.fps),
        "--format",
        "mp4",
        "--media_dir",
        str(media_dir),
        "--output_file",
        "segment",
        "--disable_caching",
        "--progress_bar",
        "none",
        "--verbosity",
        "INFO",
        *(arg for option in encoder for arg in ("--encoder-option", option)),
    ]


class ProcessRegistry:
    """The render children alive right now, so an interrupted build can stop them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[str]] = set()
        self.cancelled = threading.Event()

    def add(self, proc: subprocess.Popen[str]) -> None:
        """Track ``proc`` (killed at once if the build was already cancelled)."""
        with self._lock:
            self._procs.add(proc)
        if self.cancelled.is_set():
            _kill(proc)

    def remove(self, proc: subprocess.Popen[str]) -> None:
        """Stop tracking ``proc``."""
        with self._lock:
            self._procs.discard(proc)

    def cancel(self) -> None:
        """Stop every child and refuse new ones."""
        self.cancelled.set()
        with self._lock:
            procs = list(self._procs)
        for p in procs:
            _kill(p)


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
    except OSError:
        pass


def _last_error_line(log: str) -> str:
    for line in reversed(log.splitlines()):
        text = line.strip(" │╭╮╰╯─\t")
        if text and not text.startswith("[") and "INFO" not in text:
            return text[:300]
    return "no output"


def render_segment(
    seg: Segment,
    preset: Preset,
    key: str,
    components: dict[str, str],
    segments_dir: Path,
    root: Path,
    history: Path,
    registry: ProcessRegistry,
    on_progress: Callable[[int], None] | None = None,
    extra_env: dict[str, str] | None = None,
    threads: int = 0,
) -> RenderedSegment:
    """Render ``seg`` at ``preset`` and move the finished result into the cache atomically.

    Parameters
    ----------
    seg : Segment
    preset : Preset
    key : str
        The segment's input hash (names the cache folder).
    components : dict
        Its hashed inputs, stored in ``segment.json``.
    segments_dir : Path
        ``build/segments/<quality>``.
    root : Path
        The repository root: manim runs there (it reads ``manim.cfg`` and imports ``scenes``).
    history : Path
        The history file the scene reads (passed as ``$NN_HISTORY``).
    registry : ProcessRegistry
        Where the child is registered while it runs.
    on_progress : callable, optional
        Called with the number of animations rendered so far.
    extra_env : dict, optional
        More environment for the child (where the sweeps are).
    threads : int, optional
        The threads the child may use for encoding and for NumPy's BLAS (:func:`thread_share`);
        0 leaves both to choose.

    Raises
    ------
    RenderFailed
        If manim fails; the message names the last line of its log and where the log was kept.
    """
    tmp = segments_dir / f".tmp-{seg.name}-{os.getpid()}-{secrets.token_hex(4)}"
    media = tmp / "media"
    media.mkdir(parents=True)
    log_path = tmp / "render.log"
    scene_file = seg.file if seg.file.is_absolute() else root / seg.file
    args = manim_command(scene_file, seg.cls, preset, media, threads)
    if sys.platform.startswith("linux"):
        cmd = [sys.executable, "-c", _CHILD, str(os.getpid()), *args]
    else:
        cmd = [sys.executable, *args]
    env = dict(os.environ)
    env.update({HISTORY_ENV: str(history.resolve()), "PYTHONUNBUFFERED": "1", "COLUMNS": "400", "NO_COLOR": "1"})
    env.update(extra_env or {})
    if threads:
        env.update({name: str(threads) for name in THREAD_ENV})
    env.pop("NN_CONFIG", None)
    start = time.perf_counter()
    animations = 0
    try:
        if registry.cancelled.is_set():
            raise KeyboardInterrupt
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(f"$ {' '.join(args)}\n")
            proc = subprocess.Popen(
                cmd,
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            registry.add(proc)
            try:
                assert proc.stdout is not None
                for line in proc.stdout:
                    log.write(line)
                    m = _ANIMATION.search(line)
                    if m:
                        animations = max(animations, int(m.group(1)) + 1)
                        if on_progress is not None:
                            on_progress(animations)
                rc = proc.wait()
            finally:
                registry.remove(proc)
        if registry.cancelled.is_set():
            raise KeyboardInterrupt
        if rc != 0:
            kept = segments_dir / f"{seg.name}.failed.log"
            shutil.copyfile(log_path, kept)
            reason = _last_error_line(log_path.read_text(encoding="utf-8", errors="replace"))
            raise RenderFailed(f"segment {seg.name!r} ({seg.file} {seg.cls}) failed to render: {reason}; log: {kept}")
        outputs = [p for p in media.rglob("segment.mp4") if "partial_movie_files" not in p.parts]
        if len(outputs) != 1:
            raise RenderFailed(
                f"segment {seg.name!r}: manim wrote no video (does {seg.cls}.construct play any animation?)"
            )
        os.replace(outputs[0], tmp / "segment.mp4")
        srt = outputs[0].with_suffix(".srt")
        if srt.is_file():
            os.replace(srt, tmp / "segment.srt")
        else:
            (tmp / "segment.srt").write_text("", encoding="utf-8")
        shutil.rmtree(media)
        info = probe(tmp / "segment.mp4")
        if (info.width, info.height) != (preset.width, preset.height) or info.rate != preset.fps:
            raise RenderFailed(
                f"segment {seg.name!r}: manim wrote {info.describe()}, not the preset's {preset.describe()}"
                " (does a manim.cfg or the scene override the resolution?)"
            )
        thumb = grab_frame(tmp / "segment.mp4", info.duration / 2)
        thumb.thumbnail((THUMB_WIDTH, THUMB_WIDTH))
        thumb.save(tmp / "thumb.jpg", quality=85)
        seconds = time.perf_counter() - start
        meta = {
            "name": seg.name,
            "key": key,
            "duration": str(info.duration),
            "frames": info.frames,
            "render_seconds": round(seconds, 3),
            "animations": animations,
            "components": components,
            "video_bytes": (tmp / "segment.mp4").stat().st_size,
            "scene": {"file": seg.file.as_posix(), "class": seg.cls},
            "preset": {"width": preset.width, "height": preset.height, "fps": preset.fps},
        }
        (tmp / "segment.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        final = cache_folder(segments_dir, seg.name, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # a stale or damaged entry (a complete one would have been re-used)
            shutil.rmtree(final)
        os.rename(tmp, final)
        (segments_dir / f"{seg.name}.failed.log").unlink(missing_ok=True)  # an older failure's log
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    cached = load_cached(segments_dir, seg.name, key)
    if cached is None:
        raise RenderFailed(f"segment {seg.name!r}: the finished render in {final} cannot be read back")
    return cached


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


def prune(segments_dir: Path, keep_keys: dict[str, str], keep: int = 3) -> None:
    """Keep, per segment, the render in use and the ``keep`` most recently used ones."""
    if not segments_dir.is_dir():
        return
    for seg_dir in segments_dir.iterdir():
        if not seg_dir.is_dir() or seg_dir.name.startswith("."):
            continue
        entries = [p for p in seg_dir.iterdir() if p.is_dir()]
        entries.sort(key=lambda p: (p / "segment.json").stat().st_mtime if (p / "segment.json").exists() else 0)
        in_use = keep_keys.get(seg_dir.name, "")[:16]
        others = [p for p in entries if p.name != in_use]  # oldest first
        for p in others[: max(len(others) - keep, 0)]:
            shutil.rmtree(p, ignore_errors=True)
