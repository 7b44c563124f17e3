"""``python -m lecture gif``: loops of a cached render, their frames and timing, and bad input.

One tiny lecture (``tests/lecture_scenes/``: the title, segment ``a``, the summary; 480p15) is
built per module; every loop is made from its renders, without rendering again.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av
import numpy as np
import pytest
from PIL import Image
from test_lecture_build import render_toml

from lecture import cli
from lecture.loops.encode import durations_ms, frame_count
from lecture.loops.make_loop import GIF_BUDGET, LoopRequest, make_loop, parse_time

pytestmark = pytest.mark.render

ROOT = Path(__file__).resolve().parents[1]
SCENES = ROOT / "tests" / "lecture_scenes"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built tiny lecture: ``render.toml``, ``cfg.toml`` and ``build/``."""
    folder = tmp_path_factory.mktemp("gif_lecture")
    scenes = folder / "scenes"
    shutil.copytree(SCENES, scenes, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "render.toml").write_text(render_toml(scenes, crf=18, small=(320, 180), b=("b", "Segment B", False)))
    (folder / "cfg.toml").write_text("[model]\nhidden_units = 3\n\n[train]\niterations = 60\n")
    cmd = [sys.executable, "-m", "lecture", "build", "--render-config", str(folder / "render.toml")]
    cmd += ["--config", str(folder / "cfg.toml"), "--build-dir", str(folder / "build"), "--jobs", "2"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return folder


def request(work: Path, segment: str = "a", **kw: Any) -> LoopRequest:
    return LoopRequest(segment=segment, render_config=work / "render.toml", build_dir=work / "build", **kw)


def gif_frames(path: Path) -> tuple[list[np.ndarray], list[int], Image.Image]:
    im = Image.open(path)
    frames, durations = [], []
    for i in range(cast(Any, im).n_frames):  # a GIF: Pillow's GifImageFile
        im.seek(i)
        frames.append(np.asarray(im.convert("RGB"), dtype=np.float64))
        durations.append(im.info["duration"])
    return frames, durations, im


def webp_info(path: Path) -> tuple[tuple[int, int], int, list[int]]:
    """Canvas size, loop count and frame durations (ms) of an animated WebP, read from its chunks."""
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    i, size, loop, durations = 12, (0, 0), -1, []
    while i < len(data):
        tag, n = data[i : i + 4], struct.unpack("<I", data[i + 4 : i + 8])[0]
        body = data[i + 8 : i + 8 + n]
        if tag == b"VP8X":
            size = (int.from_bytes(body[4:7], "little") + 1, int.from_bytes(body[7:10], "little") + 1)
        elif tag == b"ANIM":
            loop = struct.unpack("<H", body[4:6])[0]
        elif tag == b"ANMF":
            durations.append(int.from_bytes(body[12:15], "little"))
        i += 8 + n + (n & 1)
    return size, loop, durations


def video_frame(video: Path, t: Fraction, size: tuple[int, int]) -> np.ndarray:
    """The frame of ``video`` on screen at ``t``, scaled as the loops are."""
    with av.open(str(video)) as c:
        s = c.streams.video[0]
        shown = None
        for f in c.decode(s):
            if cast(int, f.pts) * cast(Fraction, s.time_base) > t + Fraction(1, 10**6):
                break
            shown = f
        assert shown is not None
        return shown.reformat(width=size[0], height=size[1], format="rgb24", interpolation="AREA").to_ndarray()


def test_times_and_centisecond_delays() -> None:
    assert parse_time("31.27") == Fraction(3127, 100)
    assert parse_time("1:05.5") == Fraction(131, 2)
    assert parse_time(".5") == Fraction(1, 2)
    assert parse_time("early") is None and parse_time("-3") is None
    assert frame_count(Fraction(0), Fraction(6, 5), 15) == 18
    assert frame_count(Fraction(469, 15), Fraction(1010, 15), 15) == 541  # decision_boundary's early + late
    assert durations_ms(6, 15, unit=10) == [70, 60, 70, 70, 60, 70]
    assert durations_ms(3, 30, unit=10) == [30, 40, 30]
    assert sum(durations_ms(541, 15)) == round(541 * 1000 / 15)


def test_a_whole_segment_from_the_command_line(work: Path) -> None:
    cmd = [sys.executable, "-m", "lecture", "gif", "a", "--render-config", str(work / "render.toml")]
    cmd += ["--build-dir", str(work / "build")]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    [line] = r.stdout.splitlines()
    gif = work / "build" / "loops" / "preview" / "a-480w.gif"
    webp = gif.with_suffix(".webp")
    assert line.startswith(f"wrote {gif} (") and f"and {webp.name} (" in line
    assert f"({gif.stat().st_size / 1e6:.2f} MB)" in line and f"({webp.stat().st_size / 1e6:.2f} MB)" in line
    assert "480x270, 18 frames at 15 fps, 1.20 s (0.00-1.20 s of a, the preview lecture's render" in line
    frames, durations, im = gif_frames(gif)
    assert im.size == (480, 270) and im.info["loop"] == 0 and len(frames) == 18
    assert durations[:3] == [70, 60, 70] and sum(durations) == 1200  # the video's clock, in centiseconds
    size, loop, webp_durations = webp_info(webp)
    assert size == (480, 270) and loop == 0 and sum(webp_durations) in (1199, 1200, 1201)
    assert not list(gif.parent.glob(".*.part"))  # written under temporary names, renamed into place


def test_a_beat_at_another_rate_shows_the_videos_frames(work: Path) -> None:
    # TinyA's beats: "circle" 0-0.8 s (the circle is drawn), "rest" 0.8-1.2 s
    loop = make_loop(request(work, start="circle", end="circle", fps=5, width=320))
    assert (loop.start, loop.end) == (Fraction(0), Fraction(4, 5)) and loop.gif.name == "a-circle-circle-320w.gif"
    assert (loop.width, loop.height, loop.frames) == (320, 180, 4)
    frames, durations, _ = gif_frames(loop.gif)
    assert durations == [200, 200, 200, 200] and len(frames) == 4
    expected = [video_frame(loop.render.video, Fraction(k, 5), (320, 180)) for k in range(4)]
    for k, frame in enumerate(frames):
        # the same picture up to the palette and its dithering, and closer to its own time's than to the others'
        diffs = [np.abs(frame - e).mean() for e in expected]
        assert diffs[k] < 2 and int(np.argmin(diffs)) == k, (k, diffs)
    assert loop.gif_bytes < GIF_BUDGET


def test_seconds_and_an_output_path(work: Path, tmp_path: Path) -> None:
    loop = make_loop(request(work, start="0.5", end="0:01.1", output=tmp_path / "out" / "clip.gif"))
    assert loop.gif == tmp_path / "out" / "clip.gif" and loop.webp == tmp_path / "out" / "clip.webp"
    assert (loop.start, loop.end, loop.frames) == (Fraction(1, 2), Fraction(11, 10), 9)
    assert loop.webp.is_file() and loop.gif.is_file()


def test_a_segment_the_lecture_left_out_uses_its_latest_render(work: Path, tmp_path: Path) -> None:
    copy = tmp_path / "build"
    shutil.copytree(work / "build", copy)
    manifest = copy / "lecture" / "preview" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["segments"] = [s for s in data["segments"] if s["name"] != "a"]
    manifest.write_text(json.dumps(data))
    loop = make_loop(LoopRequest(segment="a", start="rest", render_config=work / "render.toml", build_dir=copy))
    assert "its latest preview render" in loop.describe() and loop.frames == 6


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.main(list(argv))
    except SystemExit as e:  # argparse
        code = int(e.code or 0)
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nope"], "unknown segment 'nope'; the segments of"),
        (["a", "--from", "5"], "--from 5 is outside segment 'a', which lasts 1.20 s"),
        (["a", "--to", "2:00"], "--to 2:00 is outside segment 'a'"),
        (["a", "--from", "rest", "--to", "circle"], "is not before --to circle"),
        (
            ["a", "--from", "-1"],
            "--from '-1' is neither a time in seconds nor a beat of 'a'; its beats are circle, rest",
        ),
        (["a", "--width", "8"], "--width 8 is out of range; use 16 to 854 pixels"),
        (["a", "--width", "1920"], "--width 1920 is out of range"),
        (["a", "--width", "wide"], "argument --width: expected a width in pixels as a whole number"),
        (["a", "--fps", "0"], "--fps 0 is out of range; use 1 to 15"),
        (["a", "--fps", "30"], "--fps 30 is out of range"),
        (["a", "--quality", "ultra"], "unknown quality preset 'ultra'"),
        (["a", "--quality", "small"], "has no render at small quality"),
        (["b"], "make it with: python -m lecture build --quality preview --segments b --render-config"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(work: Path, args: list[str], needle: str) -> None:
    where = ["--render-config", str(work / "render.toml"), "--build-dir", str(work / "build")]
    code, out, err = run_cli("gif", *args, *where)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err, err
