"""``pytest tests/test_scene_learning_rates.py`` (and the other scene tests) use it: shared test helpers.

Tiny sweeps for ``$NN_SWEEPS``/``$NN_SWEEP_DIR``, ``-ql`` renders, their captions and frames,
and the in-frame / no-overlap layout checks recorded at the end of every beat
(:meth:`~scenes.common.narration.Narrated.beat_ended`).

And what lets the suite run on every core (``pytest -n auto``, ``make test``): a folder every
xdist worker of a run shares (:func:`shared_dir`), things made once in it under a file lock
(:func:`made_once`), and the TeX and speech caches every render and build of the tests shares,
kept between runs (:func:`cache_folder`, :func:`link_caches`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import av
import numpy as np
import pytest
from manim import Scene, ValueTracker, VMobject

from lecture.render.manim_child import TEX_CACHE_ENV
from nncore.paths import DEFAULT_BUILD_DIR, SCENE_RECORD_ENV, SPEECH_CACHE_NAME, SWEEP_DIR_ENV, SWEEPS_ENV
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.layout_check import environment

ROOT = Path(__file__).resolve().parents[1]
FRAME_W, FRAME_H = 14.222, 8.0


# --- shared by the workers, made once ----------------------------------------------------------------

XDIST_WORKER_ENV = "PYTEST_XDIST_WORKER"
"""Set by pytest-xdist in each worker (``gw0``, ``gw1``, ...)."""

TEST_CACHE_ENV = "NN_TEST_CACHE"
"""The folder of the tests' TeX and speech caches (default :data:`TEST_CACHE`)."""

TEST_CACHE = ROOT / DEFAULT_BUILD_DIR / "test-cache"
"""``build/test-cache/``: ``tex/`` and ``speech/``, the caches every render and build of the tests shares.

Both are keyed by what they hold (the TeX source and the TeX tools' versions; the voice and the
words) and written with one rename, so parallel renders and later runs share them safely, and a
render reads the same files warm or cold (``tests/test_tex_cache.py``, ``tests/test_voice.py``
check that). Kept between runs; ``make clean`` removes it.
"""


def shared_dir(factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this run shares: the run's base temp (this process's without xdist)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get(XDIST_WORKER_ENV) else base


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block, across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


MADE = ".made"
"""Written last into a :func:`made_once` folder: it is whole."""


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``name`` of the run's :func:`shared_dir`, filled by ``make(folder)`` once per run.

    The first worker to ask makes it while holding a lock; the others wait for it, then use it.
    A ``make`` that failed (raised) leaves no mark, so the next to ask tries again and fails in
    its own test. Users only read the folder (or copy it).
    """
    root = shared_dir(factory) / "made-once"
    folder = root / name
    with file_lock(root / f"{name}.lock"):
        if not (folder / MADE).is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            (folder / MADE).touch()
    return folder


def lecture_sweeps(factory: pytest.TempPathFactory) -> Path:
    """The sweeps of ``media_config/sweeps.toml`` (on its own base), trained once per test run for every worker.

    The course's experiments' sweeps are the same whatever the base says (they pin or reset every key
    they train with), so the tests that read them as the lecture does share one training.
    """

    def make(folder: Path) -> None:
        from nncore.paths import DEFAULT_SWEEPS
        from nncore.sweep import run_sweep
        from nncore.sweeps_file import load_sweeps

        for sweep in load_sweeps(ROOT / DEFAULT_SWEEPS).values():
            run_sweep(sweep, folder)

    return made_once(factory, "lecture-sweeps", make)


def ignore_marks(folder: str, names: list[str]) -> list[str]:
    """For :func:`shutil.copytree` of a :func:`made_once` folder: leave its mark behind."""
    return [n for n in names if n == MADE]


def cache_folder(kind: str) -> Path:
    """The tests' shared cache ``kind`` (``"tex"`` or ``"speech"``) under ``$NN_TEST_CACHE`` or :data:`TEST_CACHE`."""
    folder = Path(os.environ.get(TEST_CACHE_ENV) or TEST_CACHE) / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def link_caches(build_dir: Path) -> Path:
    """Point ``build_dir``'s TeX cache (``tex/``) and speech cache (``speech/``) at the tests' shared ones.

    A build's outputs do not depend on them (a cached SVG or clip is the same file as a fresh one),
    only its time. Copy such a build folder with ``symlinks=True``. Returns ``build_dir``.
    """
    from lecture.pipeline import tex_cache_dir

    build_dir.mkdir(parents=True, exist_ok=True)
    tex = tex_cache_dir(build_dir)  # None with NN_TEX_CACHE=off: the build keeps no TeX cache
    for kind, link in (("tex", tex), ("speech", build_dir / SPEECH_CACHE_NAME)):
        if link is not None and not link.is_symlink() and not link.exists():
            link.symlink_to(cache_folder(kind), target_is_directory=True)
    return build_dir


def write_sweeps(directory: Path, sweeps: str, base: str) -> Path:
    """Write ``base.toml`` and ``sweeps.toml`` (whose ``base = "base.toml"``) into ``directory``; return the latter."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "base.toml").write_text(base)
    path = directory / "sweeps.toml"
    path.write_text('base = "base.toml"\n\n' + sweeps)
    return path


def sweep_vars(sweeps: Path, out_dir: Path) -> dict[str, str]:
    """The environment (``$NN_SWEEPS``, ``$NN_SWEEP_DIR``) that points a scene at a test's sweeps."""
    return {SWEEPS_ENV: str(sweeps), SWEEP_DIR_ENV: str(out_dir)}


def sweep_env(sweeps: Path, out_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Point ``$NN_SWEEPS`` and ``$NN_SWEEP_DIR`` at a test's sweeps for the block."""
    return environment(sweep_vars(sweeps, out_dir))


def trained_sweep(directory: Path, sweeps: str, base: str, name: str) -> tuple[Path, Path, list[SweepEntry]]:
    """Write a test's sweeps into ``directory`` and train sweep ``name``; return (sweeps file, out dir, entries)."""
    path = write_sweeps(directory, sweeps, base)
    out = directory / "out"
    with sweep_env(path, out):
        entries = load_sweep(name)
    return path, out, entries


BEAT_FRAMES_ENV = "BEAT_FRAMES"
"""For ``tests/render_child.py``: the folder to save the picture at every beat's end in (unset: none)."""

Boxes = dict[str, list[tuple[str, np.ndarray, np.ndarray]]]
"""Per beat: (type name, lower-left, upper-right) of each top-level mobject (or drawn piece) on screen."""


@dataclass
class SceneRun:
    """One run of a scene by :func:`render_scene`: its video, what it said and where everything was.

    Attributes
    ----------
    video : Path or None
        The ``-ql`` video (``None`` for a ``still`` run, which skips the animations).
    record : dict
        The scene record (:meth:`~scenes.common.narration.Narrated.scene_record`): beats and lines
        with their captions and times, in seconds of the scene's clock.
    boxes, pieces : Boxes
        Per beat, at its end: the top-level mobjects on screen / every visible drawn piece
        (:func:`on_screen`), recorded by ``tests/render_child.py`` during the run.
    layout : list of dict
        The scene's own ``layout`` record, if it keeps one (the backprop segment's snapshots).
    frames : Path or None
        For a ``still`` run, the folder of the pictures at every beat's end (``<beat>.png``).
    """

    video: Path | None
    record: dict[str, Any]
    boxes: Boxes
    pieces: Boxes
    layout: list[dict[str, Any]]
    frames: Path | None = None

    def beat_end(self, beat: str) -> np.ndarray:
        """The picture at the end of ``beat`` of a ``still`` run, as a float RGB array (as :func:`read_frames`)."""
        from PIL import Image

        assert self.frames is not None, "only a still run saves its beats' last pictures"
        return np.asarray(Image.open(self.frames / f"{beat}.png").convert("RGB")).astype(float)

    @property
    def mp4(self) -> Path:
        """The video (a ``still`` run writes none)."""
        assert self.video is not None, "a still run writes no video"
        return self.video

    @property
    def captions(self) -> list[str]:
        """Every line's caption, in order."""
        return [line["text"] for beat in self.record["beats"] for line in beat["lines"]]

    @property
    def duration(self) -> float:
        """When the last beat ended, in seconds."""
        return float(self.record["beats"][-1]["end"])


def render_scene(
    scene_file: str, cls: str, media: Path, name: str, env: dict[str, str], *, still: bool = False
) -> SceneRun:
    """Render ``cls`` of ``scene_file`` at ``-ql`` (uncached, with sections), recording its beats and layout.

    It renders as the build does, through ``lecture.render.manim_child`` (the same video bytes as
    ``manim render``), with the tests' shared TeX cache (:func:`cache_folder`), wrapped by
    ``tests/render_child.py``, which records what is on screen at the end of every beat. With
    ``still``, manim's ``-s``: the scene plays every beat with its numbers and captions but skips
    the animations and writes no video, for a few seconds instead of a minute; it saves the
    picture at every beat's end instead (:meth:`SceneRun.beat_end`).
    """
    layout = media / f"{name}.layout.json"
    record = media / f"{name}.record.json"
    cmd = [sys.executable, str(ROOT / "tests" / "render_child.py"), str(layout), "render", "-ql", "--disable_caching"]
    cmd += ["-s"] if still else ["--save_sections"]
    cmd += ["--media_dir", str(media), "-o", name, scene_file, cls]
    frames = media / f"{name}.frames" if still else None
    env = {**os.environ, TEX_CACHE_ENV: str(cache_folder("tex")), SCENE_RECORD_ENV: str(record), **env}
    env[BEAT_FRAMES_ENV] = str(frames or "")
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    video = None
    if not still:
        video = media / "videos" / Path(scene_file).stem / "480p15" / f"{name}.mp4"
        assert video.exists(), r.stdout[-2000:]
    drawn = json.loads(layout.read_text(encoding="utf-8"))

    def boxes(kind: str) -> Boxes:
        return {beat: [(t, np.array(lo), np.array(hi)) for t, lo, hi in rects] for beat, rects in drawn[kind].items()}

    said = json.loads(record.read_text(encoding="utf-8"))
    return SceneRun(video, said, boxes("boxes"), boxes("pieces"), drawn["layout"], frames)


def red_blue_share(frame: np.ndarray) -> float:
    """The share of a frame's pixels that are clearly red or blue (the boundary pictures' colours)."""
    return float(((np.abs(frame[..., 0] - frame[..., 2]) > 25) & (frame.max(axis=2) > 40)).mean())


def read_srt(video: Path) -> list[tuple[float, float, str]]:
    """The subcaptions beside ``video``: (start, end, text) in seconds."""
    entries = []
    for block in video.with_suffix(".srt").read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        m = re.match(r"(\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+)", lines[1])
        assert m, block
        v = [int(g) for g in m.groups()]
        start = v[0] * 3600 + v[1] * 60 + v[2] + v[3] / 1000
        end = v[4] * 3600 + v[5] * 60 + v[6] + v[7] / 1000
        entries.append((start, end, "\n".join(lines[2:])))
    return entries


def read_frames(video: Path, times: list[float]) -> tuple[float, list[np.ndarray]]:
    """The video's duration and its RGB frames (float arrays) at ``times``; checks the 480p size."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        duration = float(cast(int, container.duration) / av.time_base)
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        frames = []
        for t in times:
            # Seeking lands on a keyframe at or before t: decode on to the frame showing t.
            container.seek(int(t * av.time_base))
            shown = None
            for frame in container.decode(stream):
                if shown is not None and frame.time > t + 1e-6:
                    break
                shown = frame
            assert shown is not None
            frames.append(shown.to_ndarray(format="rgb24").astype(float))
    return duration, frames


def check_captioned_video(
    video: Path, expected: list[str], min_lit: float = 0.02, max_mean: float = 120.0
) -> list[np.ndarray]:
    """Assert the .srt is exactly ``expected`` (back to back from 0), 60-150 s, frames not blank.

    A frame near each beat's end must have more than ``min_lit`` of its pixels lit and a mean
    below ``max_mean`` (a dark background). Returns those frames.
    """
    entries = read_srt(video)
    assert [e[2] for e in entries] == expected
    assert entries[0][0] == 0.0
    for (_, end, _), (start, _, _) in zip(entries, entries[1:], strict=False):
        assert start == pytest.approx(end, abs=0.002)
    duration, frames = read_frames(video, [end - 0.4 for _, end, _ in entries])
    assert 60.0 <= duration <= 150.0, duration
    for f in frames:
        lit = (f.max(axis=2) > 60).mean()
        assert lit > min_lit, lit  # not blank
        assert f.mean() < max_mean, f.mean()
    return frames


def on_screen(scene: Scene, pieces: bool) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """The boxes on screen: top-level mobjects, or with ``pieces`` every visible drawn family member."""
    low, high = np.array([-1, -1, 0]), np.array([1, 1, 0])
    if pieces:
        drawn = [
            m
            for top in scene.mobjects
            for m in top.family_members_with_points()
            if not isinstance(m, ValueTracker)
            and (not isinstance(m, VMobject) or m.get_fill_opacity() > 0 or m.get_stroke_opacity() > 0)
        ]
    else:
        drawn = [
            m for m in scene.mobjects if not isinstance(m, ValueTracker) and any(len(f.points) for f in m.get_family())
        ]
    return [(type(m).__name__, m.get_corner(low)[:2], m.get_corner(high)[:2]) for m in drawn]


def assert_in_frame(boxes: Boxes, margin: float = 0.05) -> None:
    """Every recorded box lies inside the frame, ``margin`` from its edges."""
    for name, rects in boxes.items():
        assert rects, name
        for kind, lo, hi in rects:
            assert -FRAME_W / 2 + margin <= lo[0] and hi[0] <= FRAME_W / 2 - margin, (name, kind, lo, hi)
            assert -FRAME_H / 2 + margin <= lo[1] and hi[1] <= FRAME_H / 2 - margin, (name, kind, lo, hi)


def assert_in_frame_without_overlaps(boxes: Boxes) -> None:
    """Every recorded box lies inside the frame and no two overlap (by more than 0.02 units)."""
    assert_in_frame(boxes)
    for name, rects in boxes.items():
        assert len(rects) >= 2, name
        for i, (ka, alo, ahi) in enumerate(rects):
            for kb, blo, bhi in rects[i + 1 :]:
                overlap = np.minimum(ahi, bhi) - np.maximum(alo, blo)
                assert not np.all(overlap > 0.02), (name, ka, kb, alo, ahi, blo, bhi)


# --- reference stills ------------------------------------------------------------------------------

STILLS = ROOT / "tests" / "stills"
"""Stored reference stills: ``tests/stills/<segment>/<key>.png``, refreshed with ``make stills``."""

UPDATE_STILLS_ENV = "UPDATE_STILLS"
"""Set to 1 to (re)write the reference stills instead of comparing against them."""

STILL_SHRINK = 4
"""A still is the frame shrunk by this factor on each side (854x480 → 213x120) by averaging blocks."""

STILL_MEAN_TOLERANCE = 4.0
"""Largest mean absolute difference (0-255 per channel) between a frame and its reference still."""

STILL_PIXEL_TOLERANCE = 0.01
"""Largest share of a still's pixels that may differ from the reference by more than 48 in a channel."""


def shrink(frame: np.ndarray, factor: int = STILL_SHRINK) -> np.ndarray:
    """The frame shrunk by averaging ``factor`` x ``factor`` blocks, as uint8 RGB."""
    h, w = (frame.shape[0] // factor) * factor, (frame.shape[1] // factor) * factor
    blocks = frame[:h, :w].astype(float).reshape(h // factor, factor, w // factor, factor, 3)
    return np.rint(blocks.mean(axis=(1, 3))).astype(np.uint8)


def check_stills(video: Path, segment: str, stills: dict[str, float]) -> None:
    """Compare frames of ``video`` with the stored reference stills of ``segment``.

    Parameters
    ----------
    video : Path
        A ``-ql`` render (854x480) of the segment, from the fixture history.
    segment : str
        Names the folder ``tests/stills/<segment>/``.
    stills : dict
        Still name → time in seconds of the frame to compare (e.g. just before a beat ends).

    Notes
    -----
    A visual regression that is neither blank nor frozen (a panel moved, a colour changed, a number
    missing) fails here; anti-aliasing noise and encoder differences do not (a frame may differ by
    :data:`STILL_MEAN_TOLERANCE` on average and by a lot on :data:`STILL_PIXEL_TOLERANCE` of its
    pixels). After a deliberate change of the picture, refresh them with ``make stills`` and look
    at the new PNGs before committing them.
    """
    _, frames = read_frames(video, list(stills.values()))
    pictures = dict(zip(stills, frames, strict=True))
    check_pictures(pictures, segment, {name: f"the frame at {t:.2f} s" for name, t in stills.items()})


def check_pictures(pictures: dict[str, np.ndarray], segment: str, where: dict[str, str] | None = None) -> None:
    """Compare pictures of a ``-ql`` render (854x480) with the stored reference stills of ``segment``.

    What :func:`check_stills` does with a video's frames, for any pictures: a ``still`` run's
    pictures at its beats' ends (:meth:`SceneRun.beat_end`), a render of a few seconds instead of a
    video's minute. ``where`` says what each picture is, for the failure message.
    """
    from PIL import Image

    folder = STILLS / segment
    update = os.environ.get(UPDATE_STILLS_ENV) == "1"
    for name, frame in pictures.items():
        small = shrink(frame.astype(np.uint8))
        path = folder / f"{name}.png"
        if update:
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(small).save(path, optimize=True)
            continue
        assert path.exists(), f"no reference still {path}: run `make stills` and look at what it wrote"
        ref = np.asarray(Image.open(path).convert("RGB"))
        assert ref.shape == small.shape, (path, ref.shape, small.shape)
        diff = np.abs(ref.astype(int) - small.astype(int))
        mean, far = float(diff.mean()), float((diff.max(axis=2) > 48).mean())
        assert mean <= STILL_MEAN_TOLERANCE and far <= STILL_PIXEL_TOLERANCE, (
            f"{path}: {(where or {}).get(name, name)} differs from the reference still "
            f"(mean {mean:.2f}, {100 * far:.2f} % of pixels far off); if the change is deliberate, run `make stills`"
        )


def interruptible() -> None:
    """``preexec_fn`` of a child that a test interrupts: it takes Ctrl-C's SIGINT as a terminal's child would.

    A process started in the background by a non-interactive shell (``make test &``, ``nohup``,
    some CI runners) ignores SIGINT, and its children inherit that: Python then never raises
    ``KeyboardInterrupt`` and a test of Ctrl-C waits in vain.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_interruptible(cmd: list[str], *, new_session: bool = False) -> subprocess.Popen[str]:
    """Start ``cmd`` from the repository root for a test that signals it, its output piped as text.

    The child takes Ctrl-C as a terminal's child would (:func:`interruptible`); with
    ``new_session`` it leads its own process group, so a test can signal the group or kill
    whatever is left of it.
    """
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
        preexec_fn=interruptible,
    )
