"""Render one segment with manim in a child process, atomically, into a content-addressed cache.

``python -m lecture build`` runs :func:`render_segment` for every segment whose inputs changed.
The render happens in a fresh temporary folder (manim's own media folder inside it, so parallel
renders and presets never share files); only when the video is complete, checked, captioned and
thumbnailed is the folder renamed to ``build/segments/<quality>/<name>/<hash>/``. A rename is
atomic, so that folder either holds a whole render or does not exist, whatever interrupts the
build. The child is started so that it dies with the build (Linux ``PR_SET_PDEATHSIG``), and
manim's own cache is disabled: a partial file left by a killed render is never re-used. A
narrated scene writes what it did (its beats, lines and series, ``$NN_SCENE_RECORD``) into the
same folder, kept as ``scene.json``; a render without one (an older cache entry, a scene that is
not narrated) is just as complete. Renders share their typeset TeX through ``build/tex/``
(:attr:`RenderJob.tex_cache`, see :mod:`lecture.render.manim_child`); what is in that cache changes how
long a render takes, never what it draws, and is no input of a segment's hash.

What a render needs is one :class:`RenderJob`; :func:`render_segment` runs it in named steps.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lecture.assemble.stitch import VideoInfo, grab_frame, probe
from lecture.errors import RenderFailed
from lecture.render.cache import SCENE_RECORD_NAME, RenderedSegment, cache_folder, load_cached
from lecture.render.manim_child import FRAME_RATE_ENV, TEX_CACHE_ENV, TEX_CACHE_OFF
from lecture.settings import Preset, Segment
from nncore.paths import BEAT_MARK, CONFIG_ENV, HISTORY_ENV, SCENE_RECORD_ENV

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
_TEX_CACHE_LINE = re.compile(r"^TeX cache .*: (\d+) from the cache, (\d+) typeset")


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
    scene_file: Path,
    cls: str,
    preset: Preset,
    media_dir: Path,
    threads: int = 0,
    module: str = "lecture.render.manim_child",
) -> list[str]:
    """The ``manim render`` arguments for one segment at one preset (no caching, one output name).

    They run manim through ``module``: :mod:`lecture.render.manim_child`, which writes the same bytes as
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


@dataclass(frozen=True)
class RenderJob:
    """Everything one render needs: what to render, at which preset, from which inputs, and where.

    Attributes
    ----------
    segment : Segment
    preset : Preset
    key : str
        The segment's input hash (names the cache folder).
    components : dict
        Its hashed inputs, stored in ``segment.json``.
    segments_dir : Path
        ``build/segments/<quality>``: the cache, and where the temporary folder is made.
    root : Path
        The repository root: manim runs there (it reads ``manim.cfg`` and imports ``scenes``).
    history : Path
        The history file the scene reads (passed as ``$NN_HISTORY``).
    sweep_env : dict
        More environment for the child: where the sweeps are (:func:`lecture.render.sweeps.sweep_env`),
        empty for a segment that reads none.
    threads : int
        The threads the child may use for encoding and for NumPy's BLAS (:func:`thread_share`);
        0 leaves both to choose.
    tex_cache : Path or None
        The TeX cache shared by all renders (``build/tex``, passed as ``$NN_TEX_CACHE``); ``None``:
        the render typesets all its TeX itself (``$NN_TEX_CACHE=off``).
    voice_env : dict
        The voice's variables (:meth:`lecture.render.narrator.Voice.environment`): a string sets one,
        ``None`` removes it from the child's environment.
    """

    segment: Segment
    preset: Preset
    key: str
    components: dict[str, str]
    segments_dir: Path
    root: Path
    history: Path
    sweep_env: dict[str, str] = field(default_factory=dict)
    threads: int = 0
    tex_cache: Path | None = None
    voice_env: dict[str, str | None] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The segment's name."""
        return self.segment.name

    @property
    def scene_file(self) -> Path:
        """The scene file, absolute (relative ones are relative to :attr:`root`)."""
        return self.segment.file if self.segment.file.is_absolute() else self.root / self.segment.file

    @property
    def failed_log(self) -> Path:
        """Where the log of a failed render is kept: ``build/segments/<quality>/<name>.failed.log``."""
        return self.segments_dir / f"{self.name}.failed.log"

    def temp_folder(self) -> Path:
        """A new, empty folder beside the cache to make a render in.

        Named ``.tmp-*``: what an interrupted build leaves, :func:`lecture.render.cache.clean_stale` removes.
        """
        tmp = self.segments_dir / f".tmp-{self.name}-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir(parents=True)
        return tmp

    @property
    def cache_folder(self) -> Path:
        """Where the finished render goes (:func:`cache_folder`)."""
        return cache_folder(self.segments_dir, self.name, self.key)

    def manim_args(self, media_dir: Path) -> list[str]:
        """The ``manim render`` arguments (:func:`manim_command`), writing into ``media_dir``."""
        return manim_command(self.scene_file, self.segment.cls, self.preset, media_dir, self.threads)

    def command(self) -> str:
        """The shell command that renders this segment alone from the repository root, as the build did (at ``-ql``).

        ``NN_HISTORY=... [NN_SWEEPS=... NN_SWEEP_DIR=...] .venv/bin/python -m manim render -ql FILE CLASS``;
        paths inside the repository are written relative to it.
        """

        def shown(path: str | Path) -> str:
            p = Path(path).absolute()  # not resolved: the virtual environment's python is a symlink
            root = self.root.absolute()
            return shlex.quote(str(p.relative_to(root) if p.is_relative_to(root) else p))

        # a scene that reads no history is given none (lecture.render.inputs.reads_history): nothing to say
        env: dict[str, str | Path] = {HISTORY_ENV: self.history} if self.history.is_file() else {}
        env.update(self.sweep_env)
        words = [f"{name}={shown(value)}" for name, value in env.items()]
        words += [shown(sys.executable), "-m", "manim", "render", "-ql", shown(self.scene_file), self.segment.cls]
        return " ".join(words)

    def environment(self, record: Path) -> dict[str, str]:
        """The child's environment: ours, plus history, sweeps, scene record, threads, TeX cache, voice, frame rate.

        ``$NN_CONFIG`` is dropped: the build says which history the scene reads; so is any voice
        variable :attr:`voice_env` removes.
        """
        env = dict(os.environ)
        env.update(
            {HISTORY_ENV: str(self.history.resolve()), "PYTHONUNBUFFERED": "1", "COLUMNS": "400", "NO_COLOR": "1"}
        )
        env.update(self.sweep_env)
        env[SCENE_RECORD_ENV] = str(record.resolve())
        if self.threads:
            env.update({name: str(self.threads) for name in THREAD_ENV})
        env[TEX_CACHE_ENV] = TEX_CACHE_OFF if self.tex_cache is None else str(self.tex_cache.resolve())
        env[FRAME_RATE_ENV] = self.preset.frame_rate
        env.pop(CONFIG_ENV, None)
        for name, value in self.voice_env.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env


def render_segment(
    job: RenderJob, registry: ProcessRegistry, on_progress: Callable[[int], None] | None = None
) -> RenderedSegment:
    """Render ``job.segment`` at ``job.preset`` and move the finished result into the cache atomically.

    The steps, all in a fresh temporary folder beside the cache: run manim (:func:`_run_manim`),
    take its video and subcaptions and check them (:func:`_collect_outputs`), write
    ``segment.json`` (:func:`_write_meta`), then rename the folder into the cache
    (:func:`move_into_cache`). The scene's record of its beats (``$NN_SCENE_RECORD``) is written
    straight into that folder as ``scene.json``. Whatever happens, the temporary folder is removed.

    Parameters
    ----------
    job : RenderJob
    registry : ProcessRegistry
        Where the child is registered while it runs.
    on_progress : callable, optional
        Called with the number of animations rendered so far.

    Raises
    ------
    RenderFailed
        If manim fails; the message names the last line of its log and where the log was kept.
    """
    tmp = job.temp_folder()
    (tmp / "media").mkdir()
    start = time.perf_counter()
    try:
        animations, tex = _run_manim(job, tmp, registry, on_progress)
        info = _collect_outputs(job, tmp)
        _write_meta(job, tmp, info, animations, time.perf_counter() - start, tex)
        move_into_cache(job, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    cached = load_cached(job.segments_dir, job.name, job.key)
    if cached is None:
        raise RenderFailed(f"segment {job.name!r}: the finished render in {job.cache_folder} cannot be read back")
    return cached


def _run_manim(
    job: RenderJob, tmp: Path, registry: ProcessRegistry, on_progress: Callable[[int], None] | None
) -> tuple[int, dict[str, int]]:
    """Run manim in a child that dies with the build, logging to ``tmp/render.log``.

    Returns its animation count, and its formulas read from the shared TeX cache and typeset
    (``{"cached": n, "typeset": n}``, empty if it used no cache or no TeX).

    Raises
    ------
    KeyboardInterrupt
        If the build was cancelled before or while it ran.
    RenderFailed
        If manim exits with an error (its log is kept as :attr:`RenderJob.failed_log`).
    """
    log_path = tmp / "render.log"
    args = job.manim_args(tmp / "media")
    if sys.platform.startswith("linux"):
        cmd = [sys.executable, "-c", _CHILD, str(os.getpid()), *args]
    else:
        cmd = [sys.executable, *args]
    env = job.environment(tmp / SCENE_RECORD_NAME)
    animations = 0
    tex: dict[str, int] = {}
    if registry.cancelled.is_set():
        raise KeyboardInterrupt
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"$ {' '.join(args)}\n")
        proc = subprocess.Popen(
            cmd,
            cwd=job.root,
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
                elif m := _TEX_CACHE_LINE.match(line):
                    tex = {"cached": int(m.group(1)), "typeset": int(m.group(2))}
            rc = proc.wait()
        finally:
            registry.remove(proc)
    if registry.cancelled.is_set():
        raise KeyboardInterrupt
    if rc != 0:
        seg = job.segment
        shutil.copyfile(log_path, job.failed_log)
        text = log_path.read_text(encoding="utf-8", errors="replace")
        reason = _last_error_line(text)
        beats = [line[len(BEAT_MARK) :].strip() for line in text.splitlines() if line.startswith(BEAT_MARK)]
        where = f" in beat {beats[-1]!r}" if beats else " before its first beat"
        raise RenderFailed(
            f"segment {seg.name!r} failed to render{where}: {reason}; "
            f"to render it alone: {job.command()}; log: {job.failed_log}"
        )
    return animations, tex


def _collect_outputs(job: RenderJob, tmp: Path) -> VideoInfo:
    """Move manim's video and subcaptions to ``tmp``, drop its media folder, check the video, make the thumbnail.

    Raises
    ------
    RenderFailed
        If manim wrote no video, or one of another size or frame rate than the preset's.
    """
    seg, preset, media = job.segment, job.preset, tmp / "media"
    outputs = [p for p in media.rglob("segment.mp4") if "partial_movie_files" not in p.parts]
    if len(outputs) != 1:
        raise RenderFailed(f"segment {seg.name!r}: manim wrote no video (does {seg.cls}.construct play any animation?)")
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
    return info


def _write_meta(
    job: RenderJob, tmp: Path, info: VideoInfo, animations: int, seconds: float, tex: dict[str, int] | None = None
) -> None:
    """``segment.json``: what :func:`load_cached` reads back, and what the next build predicts from.

    ``tex`` (formulas from the shared TeX cache and typeset) says how much of ``render_seconds``
    a warm TeX cache saved.
    """
    seg, preset = job.segment, job.preset
    meta = {
        "name": seg.name,
        "key": job.key,
        "duration": str(info.duration),
        "frames": info.shown_frames,
        "pictures": info.frames,
        "render_seconds": round(seconds, 3),
        "animations": animations,
        "tex": tex or {},
        "components": job.components,
        "video_bytes": (tmp / "segment.mp4").stat().st_size,
        "scene": {"file": seg.file.as_posix(), "class": seg.cls},
        "preset": {"width": preset.width, "height": preset.height, "fps": preset.fps},
    }
    (tmp / "segment.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def move_into_cache(job: RenderJob, tmp: Path) -> None:
    """Rename the finished folder into the cache in one step; forget an older failure's log."""
    final = job.cache_folder
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():  # a stale or damaged entry (a complete one would have been re-used)
        shutil.rmtree(final)
    os.rename(tmp, final)
    job.failed_log.unlink(missing_ok=True)
