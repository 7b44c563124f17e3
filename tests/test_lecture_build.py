"""``python -m lecture build`` on a tiny lecture: outputs, re-use, regeneration, interrupts, bad input, page.

The lecture is made of four one-second scenes (``tests/lecture_scenes/``), copied per test so
they can be edited, and a fixture ``render.toml`` pointing at the copies, built at 480p15 from a
60-iteration history. One build is made per run (shared by the xdist workers and by
``tests/test_slides.py``: :func:`built_tiny_lecture`) and copied for each test that changes it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scene_checks import link_caches, made_once, start_interruptible
from video_frames import shown_frames

from lecture.assemble.captions import parse_srt
from lecture.assemble.stitch import grab_frame, probe
from lecture.render.segment import manim_command, thread_share
from lecture.settings import Preset
from nncore import History

pytestmark = pytest.mark.render

ROOT = Path(__file__).resolve().parents[1]
SCENES = ROOT / "tests" / "lecture_scenes"

CONFIG = "[model]\nhidden_units = 3\n\n[train]\niterations = 60\n"
CONFIG_B = "[model]\nhidden_units = 5\n\n[train]\niterations = 60\n"


def render_toml(
    scenes: Path,
    *,
    crf: int = 30,
    small: tuple[int, int] | None = (640, 360),
    b: tuple[str, str, bool] = ("b", "Segment B", True),
) -> str:
    """The tiny lecture's render settings: its scenes in ``scenes``, silent.

    ``crf`` is the preview preset's; ``small`` the size of a second, 30 fps preset (``None``: none);
    ``b`` the name, title and ``enabled`` of the second segment (``tiny_b.py``).
    """
    second = "" if small is None else f"\n[presets.small]\nwidth = {small[0]}\nheight = {small[1]}\nfps = 30\n"
    name, title, enabled = b
    return f"""
default_quality = "preview"

[presets.preview]
width = 854
height = 480
fps = 15
x264_preset = "ultrafast"
crf = {crf}
{second}
[opening]
name = "title"
file = "{scenes / "tiny_opening.py"}"
class = "TinyOpening"

[[segments]]
name = "a"
title = "Segment A"
file = "{scenes / "tiny_a.py"}"
class = "TinyA"
enabled = true

[[segments]]
name = "{name}"
title = "{title}"
file = "{scenes / "tiny_b.py"}"
class = "TinyB"
enabled = {str(enabled).lower()}

[closing]
name = "summary"
title = "The end"
file = "{scenes / "tiny_closing.py"}"
class = "TinyClosing"

[voice]
name = "none"   # a silent lecture; tests/test_lecture_voice.py narrates it
"""


def build_cmd(work: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "lecture",
        "build",
        "--render-config",
        str(work / "render.toml"),
        "--config",
        str(work / "cfg.toml"),
        "--build-dir",
        str(work / "build"),
        "--jobs",
        "2",
        *extra,
    ]


def run_build(work: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(build_cmd(work, *extra), cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)


def manifest(work: Path, quality: str = "preview") -> dict:
    return json.loads((work / "build" / "lecture" / quality / "manifest.json").read_text())


def rendered(work: Path, quality: str = "preview") -> list[str]:
    return [s["name"] for s in manifest(work, quality)["segments"] if s["rendered"]]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _make_work(folder: Path) -> Path:
    scenes = folder / "scenes"
    if not scenes.exists():
        shutil.copytree(SCENES, scenes, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "render.toml").write_text(render_toml(scenes))
    (folder / "cfg.toml").write_text(CONFIG)
    return folder


def _build_tiny_lecture(folder: Path) -> None:
    work = _make_work(folder)
    link_caches(work / "build")  # the tests' shared TeX and speech caches
    r = run_build(work)
    assert r.returncode == 0, r.stderr


def built_tiny_lecture(factory: pytest.TempPathFactory) -> Path:
    """The tiny lecture built once per run, in a folder every worker shares; read it or copy it."""
    return made_once(factory, "tiny_lecture", _build_tiny_lecture)


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built tiny lecture (read only: :func:`work` is a copy to change)."""
    return built_tiny_lecture(tmp_path_factory)


@pytest.fixture
def work(base: Path, tmp_path: Path) -> Path:
    """A private copy of the built tiny lecture (scenes, configs, build folder; the caches stay links)."""
    copy = tmp_path / "w"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns("__pycache__", ".made"), symlinks=True)
    return _make_work(copy)


def test_build_writes_the_lecture_and_its_companions(base: Path) -> None:
    out = base / "build" / "lecture" / "preview"
    for name in ("lecture.mp4", "chapters.vtt", "captions.vtt", "captions.srt", "poster.png", "manifest.json"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    m = manifest(base)
    names = [s["name"] for s in m["segments"]]
    assert names == ["title", "a", "b", "summary"] and all(s["rendered"] for s in m["segments"])

    # the video is the segments back to back: duration and frames are the sums, starts add up
    info = probe(out / "lecture.mp4")
    seg_infos = [probe(next((base / "build" / "segments" / "preview" / n).iterdir()) / "segment.mp4") for n in names]
    assert info.frames == sum(i.frames for i in seg_infos)  # every picture copied once
    assert info.shown_frames == sum(i.shown_frames for i in seg_infos) == m["video"]["frames"]
    assert info.frames < info.shown_frames  # the still stretches are encoded once (variable frame rate)
    assert info.duration == sum((i.duration for i in seg_infos), Fraction(0))
    assert (info.width, info.height, info.rate) == (854, 480, 15)
    starts = [s["start"] for s in m["segments"]]
    assert starts == pytest.approx([0, *[float(sum(i.duration for i in seg_infos[:k])) for k in range(1, 4)]])

    # one chapter per segment, titled, timed from the real durations
    chapters = (out / "chapters.vtt").read_text()
    times = re.findall(r"(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)\n(.+)", chapters)
    assert [t[2] for t in times] == ["Title", "Segment A", "Segment B", "The end"]
    assert times[-1][1] == f"00:00:0{float(info.duration):.3f}"

    # captions: every segment's subcaptions, shifted to lecture time, clipped to their chapter
    h = History.load(m["history"]["file"])
    cost = f"{h.cost[-1]:.6f}"
    cues = parse_srt((out / "captions.srt").read_text())
    texts = [c.text for c in cues]
    assert texts == [
        f"opening, cost {cost}",
        f"segment a, cost {cost}",
        "a caption that runs past the end of the segment",
        f"segment b, cost {cost}",
        "closing",
    ]
    b_start = Fraction(starts[2]).limit_denominator(1000)
    assert cues[3].start == b_start and cues[2].end == b_start  # the long caption was cut at b's start
    assert (out / "captions.vtt").read_text().count(" --> ") == 5

    # manifest: config, history, hashes, tools
    assert m["config"]["values"]["hidden_units"] == 3 and m["history"]["final_cost"] == pytest.approx(h.cost[-1])
    assert all(
        len(s["input_hash"]) == 64 and set(s["components"]) >= {"scene", "code", "history"} for s in m["segments"]
    )
    assert (
        m["tools"]["manim"] == "0.22.0" and m["quality"] == "preview" and m["tracks"] == {"chapters": 4, "captions": 5}
    )
    assert sorted(p.name for p in (out / "thumbs").iterdir()) == [
        "01-title.jpg",
        "02-a.jpg",
        "03-b.jpg",
        "04-summary.jpg",
    ]


def test_the_manifest_places_every_scenes_beats_and_series_in_lecture_time(base: Path) -> None:
    m = manifest(base)
    cost = f"{History.load(m['history']['file']).cost[-1]:.6f}"
    segs = {s["name"]: s for s in m["segments"]}
    for s in m["segments"]:  # the render kept its scene's record beside the video
        assert (base / "build" / "segments" / "preview" / s["name"] / s["input_hash"][:16] / "scene.json").is_file()

    def timeline(name: str) -> list[tuple]:
        """(beat, start, end, [(text, start, end)]) relative to the segment's start, in milliseconds."""
        t0, ms = segs[name]["start"], lambda t: round(1000 * (t - t0))
        return [
            (b["name"], ms(b["start"]), ms(b["end"]), [(x["text"], ms(x["start"]), ms(x["end"])) for x in b["lines"]])
            for b in segs[name]["beats"]
        ]

    # a line's caption lasts until the next line or the end of its beat
    assert timeline("title") == [("title", 0, 1000, [(f"opening, cost {cost}", 0, 1000)])]
    assert timeline("a") == [("circle", 0, 800, [(f"segment a, cost {cost}", 0, 800)]), ("rest", 800, 1200, [])]
    assert timeline("b") == [("square", 0, 800, [(f"segment b, cost {cost}", 0, 800)])]
    assert timeline("summary") == [("closing", 0, 600, [("closing", 0, 600)])]
    # beats are absolute lecture times, back to back with the chapters
    assert segs["a"]["beats"][0]["start"] == pytest.approx(segs["a"]["start"])
    assert segs["b"]["beats"][-1]["end"] == pytest.approx(segs["summary"]["start"])
    # series: [seconds, value] pairs, their seconds moved to lecture time
    b0 = segs["b"]["start"]
    assert segs["b"]["series"] == {"clock": [[pytest.approx(b0), 0], [pytest.approx(b0 + 0.8), 60]]}
    assert segs["title"]["series"] == segs["a"]["series"] == segs["summary"]["series"] == {}


def x264_settings(video: Path) -> list[dict[str, str]]:
    """The settings libx264 wrote into ``video``: one per encoder run (every animation of every segment)."""
    data = video.read_bytes()
    found = []
    for m in re.finditer(rb"x264 - core [^\x00]*?options: ([^\x00]*)", data):
        found.append(dict(kv.split("=", 1) for kv in m.group(1).decode().split() if "=" in kv))
    return found


def test_the_presets_encoder_settings_reach_every_segment(base: Path) -> None:
    # the fixture's preview preset asks for ultrafast (diamond search, no sub-pixel search, no
    # B-frames) at crf 30 (manim alone would encode medium: hex search, subme 7, 3 B-frames, crf 23);
    # the two body segments render at once (--jobs 2), so each gets its share of the cores
    settings = x264_settings(base / "build" / "lecture" / "preview" / "lecture.mp4")
    assert len(settings) >= 4
    for x in settings:
        assert (x["me"], x["subme"], x["bframes"], x["crf"]) == ("dia", "0", "0", "30.0")
        assert x["threads"] == str(thread_share(2))


@pytest.mark.parametrize(("x264_preset", "threads"), [("medium", 2), ("veryfast", 1)])
def test_the_builds_manim_writes_the_same_bytes_as_manim(
    base: Path, tmp_path: Path, x264_preset: str, threads: int
) -> None:
    # lecture.render.manim_child hands frames to libx264 without copying them and converts a still frame
    # once however often it repeats; the video must not change by a byte. 854 px rows are not
    # 64-byte aligned; medium (threads=2) reorders B-frames across the repeated frames of the wait.
    from lecture.render.manim_child import install

    assert install(), "the pinned manim is the one lecture.render.manim_child patches"
    env = dict(os.environ, NN_HISTORY=manifest(base)["history"]["file"])
    preset = Preset("test", 854, 480, 15, x264_preset, 23)
    videos = []
    for module in ("manim", "lecture.render.manim_child"):
        media = tmp_path / module
        args = manim_command(base / "scenes" / "tiny_a.py", "TinyA", preset, media, threads, module=module)
        r = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
        assert r.returncode == 0, r.stderr[-2000:]
        [video] = [p for p in media.rglob("segment.mp4") if "partial_movie_files" not in p.parts]
        videos.append(video.read_bytes())
    assert probe(video).frames == 18  # 0.8 s drawing and a 0.4 s wait at 15 fps
    assert videos[0] == videos[1]


def test_a_still_is_encoded_once_and_the_lecture_shows_every_frame_the_constant_rate_one_does(work: Path) -> None:
    # The default (variable frame rate) encodes a still picture at its first and last frame only; the
    # lecture must show exactly the frames of --constant-frame-rate's, at the same times. libx264 at
    # crf 0 is lossless, so the decoded frames of both are the pictures manim drew, and compare exactly
    # (at a lossy crf a picture repeated 30 times a second is refined by each copy, so they differ in
    # the last bits: the benchmark reports that difference for the course lecture).
    # veryfast: B-frames, so a picture shown late is decoded early (the MP4's sample durations then
    # overshoot a held still's end: the video's end is its last picture plus one frame)
    toml = work / "render.toml"
    text = (
        toml.read_text()
        .replace("crf = 30", "crf = 0", 1)
        .replace('x264_preset = "ultrafast"', 'x264_preset = "veryfast"', 1)
    )
    toml.write_text(text)
    lectures, starts = {}, {}
    for mode, extra in (("constant", ("--constant-frame-rate",)), ("variable", ())):
        r = run_build(work, *extra)
        assert r.returncode == 0, r.stderr[-2000:]
        out = work / "build" / "lecture" / "preview"
        lectures[mode] = shutil.copyfile(out / "lecture.mp4", work / f"{mode}.mp4")
        shutil.copyfile(out / "captions.vtt", work / f"{mode}.vtt")
        starts[mode] = [s["start"] for s in manifest(work)["segments"]]
    constant, variable = probe(lectures["constant"]), probe(lectures["variable"])
    assert variable.duration == constant.duration and variable.shown_frames == constant.shown_frames
    assert variable.frames < constant.frames == constant.shown_frames  # the waits: two pictures each
    a, b = shown_frames(lectures["constant"]), shown_frames(lectures["variable"])
    assert len(a) == len(b) == constant.shown_frames
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert starts["constant"] == starts["variable"]  # the chapters start at the same times
    assert (work / "constant.vtt").read_text() == (work / "variable.vtt").read_text()  # and so do the captions
    # seeking: the frame shown at every chapter's start, and between frames, is the same picture
    for t in [*starts["constant"], 0.5, float(constant.duration) - 0.01]:
        assert np.array_equal(
            np.asarray(grab_frame(lectures["constant"], t)), np.asarray(grab_frame(lectures["variable"], t))
        )


def test_changing_the_encoder_settings_rerenders_every_segment(work: Path) -> None:
    toml = work / "render.toml"
    toml.write_text(toml.read_text().replace("crf = 30", "crf = 28", 1))
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    assert rendered(work) == ["title", "a", "b", "summary"] and "rendered (preset changed)" in r.stdout
    assert {x["crf"] for x in x264_settings(work / "build" / "lecture" / "preview" / "lecture.mp4")} == {"28.0"}


def test_second_build_renders_nothing_and_rewrites_nothing(work: Path) -> None:
    before = snapshot(work / "build" / "lecture" / "preview")
    mtime = (work / "build" / "lecture" / "preview" / "lecture.mp4").stat().st_mtime_ns
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    assert "is up to date: nothing to render" in r.stdout and "0 rendered, 4 reused" in r.stdout
    assert "render [" not in r.stderr
    assert snapshot(work / "build" / "lecture" / "preview") == before
    assert (work / "build" / "lecture" / "preview" / "lecture.mp4").stat().st_mtime_ns == mtime


def test_changing_one_scene_rerenders_only_it_and_shared_code_rerenders_all(work: Path) -> None:
    scene = work / "scenes" / "tiny_b.py"
    scene.write_text(scene.read_text().replace("Square(color=GREEN)", "Square(color=GREEN).scale(0.5)"))
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    assert rendered(work) == ["b"]
    assert re.search(r"^b .*rendered \(scene file changed\)", r.stdout, re.M)
    assert "1 rendered, 3 reused" in r.stdout

    common = work / "scenes" / "tiny_common.py"
    common.write_text(common.read_text() + "\n# a comment is a change too\n")
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    assert rendered(work) == ["title", "a", "b"]  # the closing scene does not import tiny_common
    assert "rendered (shared code changed)" in r.stdout


def test_new_config_retrains_and_rerenders_and_switching_back_reuses(work: Path) -> None:
    old_captions = (work / "build" / "lecture" / "preview" / "captions.srt").read_text()
    (work / "cfg.toml").write_text(CONFIG_B)
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    assert "trained a new history" in r.stderr
    # the closing card reads no history (tests/lecture_scenes/tiny_closing.py): the same render serves both runs
    assert rendered(work) == ["title", "a", "b"] and "rendered (history changed)" in r.stdout
    m = manifest(work)
    h = History.load(m["history"]["file"])
    assert h.hidden_units == 5 and m["config"]["values"]["hidden_units"] == 5
    assert f"segment a, cost {h.cost[-1]:.6f}" in (work / "build" / "lecture" / "preview" / "captions.srt").read_text()

    (work / "cfg.toml").write_text(CONFIG)  # back: the history and every render are still cached
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    assert "trained" not in r.stderr and "render [" not in r.stderr
    assert rendered(work) == [] and "0 rendered, 4 reused" in r.stdout
    assert (work / "build" / "lecture" / "preview" / "captions.srt").read_text() == old_captions


def test_two_presets_keep_separate_outputs(work: Path) -> None:
    preview = snapshot(work / "build" / "lecture" / "preview")
    r = run_build(work, "--quality", "small")
    assert r.returncode == 0, r.stderr
    assert snapshot(work / "build" / "lecture" / "preview") == preview
    info = probe(work / "build" / "lecture" / "small" / "lecture.mp4")
    assert (info.width, info.height, info.rate) == (640, 360, 30)
    assert manifest(work, "small")["quality"] == "small" and rendered(work, "small") == ["title", "a", "b", "summary"]
    r = run_build(work)  # the preview is still up to date
    assert "is up to date" in r.stdout


def _wait_for_render(work: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not list((work / "build" / "segments" / "preview").glob(".tmp-*/render.log")) or not _children_of(work):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no render started"
        time.sleep(0.05)
    time.sleep(1.0)  # manim is starting or the scene is sleeping: the render is in progress


def _children_of(work: Path) -> list[int]:
    """Processes whose command line mentions the work folder (render children)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(work / "build") in cmd and "manim" in cmd:
                pids.append(int(proc.name))
    return pids


SLOW = '"""Draw it, in two sections."""\n        __import__("time").sleep(60)  # still rendering when interrupted'


def _slow_down_one_scene(work: Path) -> None:
    scene = work / "scenes" / "tiny_a.py"
    scene.write_text(scene.read_text().replace('"""Draw it, in two sections."""', SLOW))


def _speed_up_again(work: Path) -> None:
    scene = work / "scenes" / "tiny_a.py"
    scene.write_text(scene.read_text().replace(SLOW, '"""Draw it, in two sections."""') + "\n# changed\n")


@pytest.mark.parametrize("how", ["SIGKILL to the build", "Ctrl-C to the group", "SIGTERM to the build"])
def test_interrupted_build_keeps_the_previous_lecture_and_the_next_one_recovers(work: Path, how: str) -> None:
    out = work / "build" / "lecture" / "preview"
    before = snapshot(out)
    _slow_down_one_scene(work)
    proc = start_interruptible(build_cmd(work), new_session=True)
    try:
        _wait_for_render(work, proc)
        if how == "SIGKILL to the build":
            os.kill(proc.pid, signal.SIGKILL)
        elif how == "Ctrl-C to the group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    if how == "SIGKILL to the build":
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == (143 if how == "SIGTERM to the build" else 130), err  # 128 + the signal
        assert "interrupted: the previous lecture is unchanged" in err
        assert not list((work / "build" / "segments" / "preview").glob(".tmp-*"))  # cleaned up on the way out
    deadline = time.monotonic() + 10
    while _children_of(work) and time.monotonic() < deadline:  # render children die with the build
        time.sleep(0.1)
    assert _children_of(work) == []
    assert snapshot(out) == before

    _speed_up_again(work)
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    assert rendered(work) == ["a"]
    assert not list((work / "build" / "segments" / "preview").glob(".tmp-*"))
    assert not [p for p in (work / "build" / "lecture").iterdir() if p.name.startswith(".")]


def test_a_failing_scene_is_one_line_naming_it_and_the_previous_lecture_stays(work: Path) -> None:
    out = work / "build" / "lecture" / "preview"
    before = snapshot(out)
    scene = work / "scenes" / "tiny_b.py"
    failing = 'self.record_series("clock", [self.time, 0])'
    scene.write_text(scene.read_text().replace(failing, f'{failing}\n            raise RuntimeError("boom")'))
    r = run_build(work)
    assert r.returncode == 1
    last = r.stderr.strip().splitlines()[-1]
    # The segment, the beat, why, the command that renders it alone, and where the traceback is.
    assert last.startswith("error: segment 'b' failed to render in beat 'square': RuntimeError: boom; "), last
    command = last.split("; to render it alone: ")[1].split("; log: ")[0]
    assert Path(last.split("; log: ")[1]).is_file()
    assert "Traceback" in Path(last.split("; log: ")[1]).read_text()
    assert snapshot(out) == before
    # The command, run from the repository root as the build runs manim, fails alone in the same way.
    alone = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert alone.returncode != 0 and "RuntimeError: boom" in alone.stdout + alone.stderr, alone.stdout[-2000:]


def _one_line_exit_2(r: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for needle in needles:
        assert needle in lines[0]


def test_bad_input_is_one_line_exit_2_and_leaves_the_lecture(work: Path, tmp_path: Path) -> None:
    out = work / "build" / "lecture" / "preview"
    before = snapshot(out)

    _one_line_exit_2(run_build(work, "--segments", "a,nope"), "unknown segment 'nope'", "the segments of", "a, b")
    _one_line_exit_2(run_build(work, "--quality", "ultra"), "unknown quality preset 'ultra'", "preview, small")

    empty = tmp_path / "empty-path"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    _one_line_exit_2(run_build(work, env=env), "no `latex` on PATH", "sudo apt-get install texlive-latex-base")

    fake = tmp_path / "fake"
    (fake / "cairo").mkdir(parents=True)
    (fake / "cairo" / "__init__.py").write_text('raise ImportError("libcairo.so.2: cannot open shared object file")\n')
    env = {**os.environ, "PYTHONPATH": str(fake)}
    _one_line_exit_2(run_build(work, env=env), "Cairo/Pango cannot be loaded (libcairo.so.2", "libcairo2-dev")

    segments = work / "build" / "segments"
    shutil.rmtree(segments)
    segments.write_text("a file where the folder should be")
    _one_line_exit_2(run_build(work), "cannot write to the output folder", "--build-dir")
    segments.unlink()

    (work / "cfg.toml").write_text("[model]\nhidden_units = 0\n")
    _one_line_exit_2(run_build(work), "[model] hidden_units = 0 is not allowed")
    (work / "cfg.toml").write_text("[model]\nhidden_layers = [10, 5, 3, 2, 2]\n")  # the core trains 1 to 4
    _one_line_exit_2(run_build(work), "[model] hidden_layers = [10, 5, 3, 2, 2] is not allowed", "1 to 4 integers")
    (work / "cfg.toml").write_text(CONFIG)

    lock = work / "build" / ".locks" / "preview.lock"
    with open(lock, "a") as held:  # another build of the same preset is running
        fcntl.flock(held, fcntl.LOCK_EX)
        _one_line_exit_2(run_build(work), "another build of the 'preview' lecture is running", "wait for it")

    (work / "scenes" / "tiny_b.py").unlink()
    _one_line_exit_2(run_build(work), "segment 'b': scene file", "does not exist; create it or set enabled = false")
    assert snapshot(out) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the file-in-the-way case above runs")
def test_read_only_output_folder(work: Path) -> None:
    lecture = work / "build" / "lecture"
    lecture.chmod(0o555)
    try:
        _one_line_exit_2(run_build(work), "cannot write to the output folder", "Permission denied")
    finally:
        lecture.chmod(0o755)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PROBE = """<script>
(function () {
  var v = document.getElementById("lecture"), r = {tracks: []}, left = 1;
  var tracks = Array.prototype.slice.call(document.querySelectorAll("track"));
  function report() {
    r.duration = v.duration; r.width = v.videoWidth; r.height = v.videoHeight;
    r.error = v.error && v.error.code;
    tracks.forEach(function (t) {
      r.tracks.push({kind: t.kind, readyState: t.readyState, cues: t.track.cues ? t.track.cues.length : null,
                     first: t.track.cues && t.track.cues.length ? t.track.cues[0].text : null});
    });
    var imgs = document.querySelectorAll("ol.chapters img"), ok = 0;
    for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
    r.chapterLinks = document.querySelectorAll("ol.chapters a").length; r.thumbs = ok;
    var p = document.createElement("pre"); p.id = "probe"; p.textContent = JSON.stringify(r);
    document.body.appendChild(p);
  }
  function one() { if (--left === 0) report(); }
  left += tracks.length;
  v.addEventListener("loadedmetadata", one, {once: true});
  v.addEventListener("error", function () { left = 1; one(); });
  tracks.forEach(function (t) {
    if (t.readyState === 2 || t.readyState === 3) { one(); return; }
    t.addEventListener("load", one, {once: true});
    t.addEventListener("error", one, {once: true});
  });
})();
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")
def test_page_plays_from_disk_in_headless_chromium(work: Path, tmp_path: Path) -> None:
    out = work / "build" / "lecture" / "preview"
    page = (out / "index.html").read_text()
    assert "</body>" in page
    # the same page with a probe appended, beside it so every relative path resolves the same way
    (out / "probe.html").write_text(page.replace("</body>", PROBE + "</body>"))
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        (out / "probe.html").as_uri(),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="probe">(.*?)</pre>', r.stdout)
    assert found, r.stdout[-2000:] + r.stderr[-2000:]
    result = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    m = manifest(work)
    assert result["error"] is None
    assert result["duration"] == pytest.approx(m["video"]["duration"], abs=0.05)
    assert (result["width"], result["height"]) == (854, 480)
    assert result["tracks"] == [
        {"kind": "captions", "readyState": 2, "cues": 5, "first": result["tracks"][0]["first"]},
        {"kind": "chapters", "readyState": 2, "cues": 4, "first": "Title"},
    ]
    assert result["tracks"][0]["first"].startswith("opening, cost ")
    assert result["chapterLinks"] == 4 and result["thumbs"] == 4


def test_an_edited_question_bank_is_republished_without_rendering_and_a_broken_one_stops_the_build(
    work: Path,
) -> None:
    """The tiny lecture's chapters ask nothing of their own; an author's question is asked, kept, and checked."""
    out = work / "build" / "lecture" / "preview"
    bank = json.loads((out / "questions.json").read_text())
    assert bank["questions"] == [] and manifest(work)["questions"]["asked"] == 0
    beat = manifest(work)["segments"][1]["beats"][0]["name"]
    bank["questions"].append(
        {
            "id": "mine.units",
            "chapter": "a",
            "kind": "numeric",
            "prompt": "How many hidden units has this run?",
            "answer": 3,
            "tolerance": 0,
            "explanation": "Its config says 3.",
            "teaches": {"segment": "a", "beat": beat},
            "origin": "author",
        }
    )
    (out / "questions.json").write_text(json.dumps(bank), encoding="utf-8")
    r = run_build(work)
    assert r.returncode == 0 and "0 rendered, 4 reused" in r.stdout and "up to date" not in r.stdout, r.stdout
    assert manifest(work)["questions"]["asked"] == 1
    assert "How many hidden units has this run?" in (out / "index.html").read_text()
    assert json.loads((out / "questions.json").read_text())["questions"][0]["id"] == "mine.units"
    r = run_build(work)
    assert "is up to date: nothing to render" in r.stdout  # the bank as published: nothing to do

    bank["questions"][0]["teaches"]["beat"] = "no_such_beat"
    (out / "questions.json").write_text(json.dumps(bank), encoding="utf-8")
    before = snapshot(out)
    # beats are known once the segments are rendered: the check comes at assembly, after the
    # progress lines, still before anything is published
    r = run_build(work)
    assert r.returncode == 2 and r.stderr.strip().splitlines()[-1].startswith("error: "), r.stderr
    assert "question 'mine.units': key 'teaches' must name a chapter and one of its beats" in r.stderr
    assert "Traceback" not in r.stderr and snapshot(out) == before
    (out / "questions.json").write_text("{", encoding="utf-8")
    before = snapshot(out)
    _one_line_exit_2(run_build(work), "questions.json: not valid JSON")
    assert snapshot(out) == before
