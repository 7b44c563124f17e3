"""``python -m lecture slides`` on the tiny lecture: one step per beat, the page in Chromium, the PPTX, caching.

The tiny lecture of ``tests/test_lecture_build.py`` (four one-second scenes, five beats, a
60-iteration history) is built once per run (``test_lecture_build.built_tiny_lecture``); ``slides``
makes the deck of a copy of it once per run, running the lecture build first (its renders
re-used); each test that changes it gets a private copy. The page is opened from disk in headless
Chromium over the DevTools protocol (``tests/cdp.py``), the PPTX with python-pptx.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from cdp import CHROMIUM, Browser
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from scene_checks import made_once, start_interruptible
from test_lecture_build import (
    CONFIG_B,
    ROOT,
    _children_of,
    _make_work,
    _one_line_exit_2,
    _slow_down_one_scene,
    _speed_up_again,
    _wait_for_render,
    built_tiny_lecture,
    snapshot,
)
from video_frames import shown_frames

from lecture.assemble.stitch import probe
from lecture.deck import make_deck
from lecture.deck.clips import Cut, beat_cuts, cut_video, frame_table
from lecture.errors import LectureError
from lecture.settings import Preset
from nncore import History

pytestmark = pytest.mark.render

STEPS = [("title", "title"), ("a", "circle"), ("a", "rest"), ("b", "square"), ("summary", "closing")]
"""The tiny lecture's beats in order: (segment, beat)."""


def slides_cmd(work: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "lecture",
        "slides",
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


def run_slides(work: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(slides_cmd(work, *extra), cwd=ROOT, capture_output=True, text=True, timeout=300)


def deck_dir(work: Path) -> Path:
    return work / "build" / "slides" / "preview"


def deck(work: Path) -> dict[str, Any]:
    return json.loads((deck_dir(work) / "manifest.json").read_text())


def lecture(work: Path) -> dict[str, Any]:
    return json.loads((work / "build" / "lecture" / "preview" / "manifest.json").read_text())


def final_cost(work: Path) -> str:
    return f"{History.load(lecture(work)['history']['file']).cost[-1]:.6f}"


def frame_digests(video: Path) -> list[bytes]:
    with av.open(str(video)) as c:
        return [f.to_ndarray(format="rgb24").tobytes() for f in c.decode(video=0)]


def _make_deck(folder: Path, lecture: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__", ".made")
    shutil.copytree(lecture, folder, ignore=skip, symlinks=True, dirs_exist_ok=True)
    work = _make_work(folder)
    r = run_slides(work)
    assert r.returncode == 0, r.stderr
    assert "wrote " in r.stdout and "5 steps in 4 chapters" in r.stdout


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny lecture of ``tests/test_lecture_build.py`` (its renders re-used) and its deck, made once per run."""
    lecture = built_tiny_lecture(tmp_path_factory)
    return made_once(tmp_path_factory, "tiny_slides", lambda folder: _make_deck(folder, lecture))


@pytest.fixture
def work(base: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny lecture and its deck (scenes, configs, build folder)."""
    copy = tmp_path / "w"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
    return _make_work(copy)


# --- the deck's files ------------------------------------------------------------------------------


def test_one_step_per_beat_each_clip_copied_from_the_render(base: Path) -> None:
    m, lec = deck(base), lecture(base)
    assert [(s["segment"], s["beat"]) for s in m["steps"]] == STEPS
    assert [c["title"] for c in m["chapters"]] == ["Title", "Segment A", "Segment B", "The end"]
    assert [c["steps"] for c in m["chapters"]] == [1, 2, 1, 1]
    assert m["lecture"]["build_key"] == lec["build_key"] and m["formats"] == ["html", "pptx"]

    # every beat starts on a keyframe: every clip is the render's own packets, none re-encoded
    assert {s["cut"] for s in m["steps"]} == {"remux"}
    # the clips hold every frame of the lecture once, in order, bit for bit the same pictures
    clips = [deck_dir(base) / s["clip"] for s in m["steps"]]
    assert [probe(c).shown_frames for c in clips] == [s["frames"] for s in m["steps"]]
    assert sum(s["frames"] for s in m["steps"]) == lec["video"]["frames"]
    assert (
        sum((probe(c).duration for c in clips), Fraction(0))
        == probe(base / "build" / "lecture" / "preview" / "lecture.mp4").duration
    )
    whole = frame_digests(base / "build" / "lecture" / "preview" / "lecture.mp4")
    assert [d for c in clips for d in frame_digests(c)] == whole
    # each step starts where its beat starts in the lecture
    beats = [b for s in lec["segments"] for b in s["beats"]]
    assert [s["start"] for s in m["steps"]] == pytest.approx([b["start"] for b in beats], abs=1e-6)

    # notes: where the beat is, then its caption, with the run's numbers
    cost = final_cost(base)
    assert m["steps"][1]["captions"] == [f"segment a, cost {cost}"]
    assert m["steps"][1]["notes"][0].startswith("2. Segment A · beat 1 of 2 (circle)")
    assert m["steps"][2]["captions"] == []  # "rest" has no line of its own

    # the deck is self-contained: reveal.js vendored beside the page, clips linked from the cache
    for f in ("index.html", "reveal/reveal.js", "reveal/reveal.css", "reveal/theme/black.css", "reveal/LICENSE"):
        assert (deck_dir(base) / f).is_file(), f
    assert all(os.stat(c).st_nlink >= 2 for c in clips)
    page = (deck_dir(base) / "index.html").read_text()
    assert "http:" not in page.replace("http://www.w3.org", "") and "https:" not in page


def test_a_second_run_is_up_to_date_and_rewrites_nothing(work: Path) -> None:
    before = snapshot(deck_dir(work))
    mtime = (deck_dir(work) / "lecture.pptx").stat().st_mtime_ns
    r = run_slides(work)
    assert r.returncode == 0, r.stderr
    assert "is up to date: 5 steps" in r.stdout and "is up to date (4 segments)" in r.stderr
    assert "clips:" not in r.stderr and "render [" not in r.stderr
    assert snapshot(deck_dir(work)) == before
    assert (deck_dir(work) / "lecture.pptx").stat().st_mtime_ns == mtime


def test_only_the_formats_asked_for(work: Path) -> None:
    r = run_slides(work, "--format", "pptx")
    assert r.returncode == 0, r.stderr
    assert "clips:" not in r.stderr  # the clips were cached by the first run
    assert sorted(p.name for p in deck_dir(work).iterdir()) == ["lecture.pptx", "manifest.json"]
    r = run_slides(work, "--format", "html")
    assert r.returncode == 0, r.stderr
    assert not (deck_dir(work) / "lecture.pptx").exists() and (deck_dir(work) / "index.html").is_file()
    assert deck(work)["formats"] == ["html"]


def test_spoken_lines_in_the_scene_record_reach_the_notes(work: Path) -> None:
    # when the scene record's lines carry a spoken form (the narrated lecture), the notes say it too
    [folder] = (work / "build" / "segments" / "preview" / "a").iterdir()
    record = json.loads((folder / "scene.json").read_text())
    record["beats"][0]["lines"][0]["spoken"] = "segment a, cost about zero point six"
    (folder / "scene.json").write_text(json.dumps(record))
    shutil.rmtree(deck_dir(work))
    r = run_slides(work)
    assert r.returncode == 0, r.stderr
    notes = deck(work)["steps"][1]["notes"]
    assert notes[1] == f"segment a, cost {final_cost(work)}"
    assert notes[2] == "Say: segment a, cost about zero point six"


# --- the page in Chromium -----------------------------------------------------------------------------

VIDEO = "Reveal.getCurrentSlide().querySelector('video')"
STATE = (
    "(function(){var v=" + VIDEO + ", i=Reveal.getIndices(); return {h:i.h, v:i.v, src:v.currentSrc, "
    "paused:v.paused, ended:v.ended, t:v.currentTime, d:v.duration, err:v.error && v.error.code, "
    "notes:Reveal.getSlideNotes(), where:document.querySelector('nav.outline .where').textContent, "
    "current:document.querySelector('nav.outline a.current').textContent}})()"
)


def wait_for(b: Browser, expression: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = b.eval(expression)
        if value:
            return value
        assert time.monotonic() < deadline, f"not true in {timeout} s: {expression}"
        time.sleep(0.05)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")
def test_the_deck_plays_beat_by_beat_from_disk_in_headless_chromium(base: Path, tmp_path: Path) -> None:
    m, cost = deck(base), final_cost(base)
    b = Browser(tmp_path / "profile", width=1280, height=760)
    try:
        b.call("Target.setDiscoverTargets", discover=True)
        b.open((deck_dir(base) / "index.html").as_uri(), ready="window.Reveal && Reveal.isReady()")
        # the first beat plays as the deck opens ...
        first = wait_for(b, f"(function(){{var v={VIDEO}; return (v.currentTime > 0 || v.ended) && {STATE};}})()")
        assert first["h"] == 0 and first["src"].endswith("/clips/001-title-title.mp4") and first["err"] is None
        assert "1 Title" in first["current"] and first["where"] == "beat 1/1 · step 1/5"
        # ... and stops on its last frame, where the deck waits for the presenter
        ended = wait_for(b, f"{VIDEO}.ended && {STATE}")
        assert ended["paused"] and ended["d"] == pytest.approx(m["steps"][0]["duration"], abs=0.01)
        assert ended["t"] == pytest.approx(ended["d"], abs=1e-3)
        b.screenshot(tmp_path / "deck-first-beat.png", full_page=False)
        time.sleep(1.0)
        assert b.eval(STATE)["h"] == 0 and b.eval(f"{VIDEO}.ended")
        assert f"opening, cost {cost}" in first["notes"]

        # → goes to the next beat, which plays from its start; its notes hold its caption's numbers
        b.key("ArrowRight", "ArrowRight", 39)
        second = wait_for(b, f"Reveal.getIndices().h === 1 && {VIDEO}.currentTime > 0 && {STATE}")
        assert (second["h"], second["v"]) == (1, 0) and second["src"].endswith("/clips/002-a-circle.mp4")
        assert f"segment a, cost {cost}" in second["notes"] and "beat 1 of 2 (circle)" in second["notes"]
        assert "2 Segment A" in second["current"] and second["where"] == "beat 1/2 · step 2/5"
        assert b.eval("document.querySelector('#step-1 video').paused")
        # space goes on within the chapter, a click too, ← goes back
        b.key(" ", "Space", 32)
        assert wait_for(b, "Reveal.getIndices().v === 1 && " + STATE)["src"].endswith("003-a-rest.mp4")
        b.eval("document.querySelector('.reveal .slides').click()")
        assert wait_for(b, "Reveal.getIndices().h === 2 && " + STATE)["src"].endswith("004-b-square.mp4")
        b.key("ArrowLeft", "ArrowLeft", 37)
        back = wait_for(b, f"Reveal.getIndices().h === 1 && Reveal.getIndices().v === 1 && {STATE}")
        assert back["src"].endswith("003-a-rest.mp4")
        # R replays the beat from its start; K pauses and resumes it (and does not move, as reveal's K would)
        wait_for(b, f"{VIDEO}.ended")
        b.eval(f"{VIDEO}.defaultPlaybackRate = {VIDEO}.playbackRate = 0.1")  # 4 s to press K in, however busy
        b.key("r", "KeyR", 82)
        wait_for(b, f"!{VIDEO}.ended && !{VIDEO}.paused")
        b.key("k", "KeyK", 75)
        paused = wait_for(b, f"{VIDEO}.paused && {STATE}")
        assert (paused["h"], paused["v"]) == (1, 1) and not paused["ended"]
        b.key("k", "KeyK", 75)
        wait_for(b, f"!{VIDEO}.paused || {VIDEO}.ended")
        # the outline jumps to a chapter
        b.eval("document.querySelectorAll('nav.outline a')[3].click()")
        assert wait_for(b, "Reveal.getIndices().h === 3 && " + STATE)["src"].endswith("005-summary-closing.mp4")

        # the speaker view (S) shows the beat's notes
        b.key("s", "KeyS", 83)
        deadline = time.monotonic() + 20
        speaker = None
        while speaker is None and time.monotonic() < deadline:
            targets = b.call("Target.getTargets")["targetInfos"]
            speaker = next((t for t in targets if t["title"] == "reveal.js - Speaker View"), None)
            time.sleep(0.1)
        assert speaker is not None, "no speaker view"
        session = b.call("Target.attachToTarget", targetId=speaker["targetId"], flatten=True)["sessionId"]
        b.call(
            "Emulation.setDeviceMetricsOverride",
            session=session,
            width=1280,
            height=760,
            deviceScaleFactor=1,
            mobile=False,
        )
        notes = ""
        while "closing" not in notes and time.monotonic() < deadline + 10:
            r = b.call(
                "Runtime.evaluate",
                session=session,
                expression="(document.querySelector('.speaker-controls-notes .value')||{}).textContent||''",
                returnByValue=True,
            )
            notes = r["result"].get("value", "")
            time.sleep(0.1)
        assert "4. The end · beat 1 of 1 (closing)" in notes and "closing" in notes
        shot = b.call("Page.captureScreenshot", session=session, format="png")["data"]
        (tmp_path / "speaker-view.png").write_bytes(base64.b64decode(shot))

        # no request leaves the deck's folder: reveal.js, the clips, the posters, all from disk
        folder = deck_dir(base).as_uri()
        requests = b.requests()
        assert requests and all(u.startswith(folder) or u.startswith("data:") for u in requests), requests
    finally:
        b.close()


# --- the PowerPoint file ---------------------------------------------------------------------------------


def test_the_pptx_has_one_slide_per_beat_with_its_clip_and_notes(base: Path) -> None:
    m, cost = deck(base), final_cost(base)
    prs = Presentation(str(deck_dir(base) / "lecture.pptx"))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    slides_ = list(prs.slides)
    assert len(slides_) == len(STEPS) == len(m["steps"])
    for slide, step in zip(slides_, m["steps"], strict=True):
        movies = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA]
        assert len(movies) == 1
        # the embedded video is the beat's clip, byte for byte
        rid = movies[0]._element.xpath(".//a:videoFile/@r:link")[0]
        assert slide.part.related_part(rid).blob == (deck_dir(base) / step["clip"]).read_bytes()
        # it plays as the slide appears (not on a click)
        assert slide._element.xpath(".//p:cmd[@cmd='playFrom(0.0)']") and slide._element.xpath(
            ".//p:cTn[@nodeType='afterEffect']"
        )
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text.split("\n")[: len(step["notes"])] == step["notes"]
        assert slide.shapes.title.text.startswith(f"{step['chapter']}. ")
    notes = [s.notes_slide.notes_text_frame.text for s in slides_]
    assert f"opening, cost {cost}" in notes[0] and f"segment a, cost {cost}" in notes[1]
    assert f"segment b, cost {cost}" in notes[3]
    # the chapters are PowerPoint sections
    with zipfile.ZipFile(deck_dir(base) / "lecture.pptx") as z:
        xml = z.read("ppt/presentation.xml").decode()
    assert [xml.count(f'name="{t}"') for t in ("1. Title", "2. Segment A", "3. Segment B", "4. The end")] == [1] * 4


# --- a new run, bad input, interrupts -----------------------------------------------------------------------


def test_a_changed_config_gives_a_deck_with_the_new_runs_numbers(work: Path) -> None:
    old = final_cost(work)
    (work / "cfg.toml").write_text(CONFIG_B)
    r = run_slides(work)
    assert r.returncode == 0, r.stderr
    assert "trained a new history" in r.stderr and "rendered (history changed)" in r.stderr
    new = final_cost(work)
    assert new != old and History.load(lecture(work)["history"]["file"]).hidden_units == 5
    m = deck(work)
    assert m["steps"][1]["captions"] == [f"segment a, cost {new}"]
    page = (deck_dir(work) / "index.html").read_text()
    assert f"segment a, cost {new}" in page and old not in page
    prs = Presentation(str(deck_dir(work) / "lecture.pptx"))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert f"segment b, cost {new}" in notes and old not in notes


def test_bad_input_is_one_line_exit_2_and_leaves_the_deck(work: Path) -> None:
    before = snapshot(deck_dir(work))
    _one_line_exit_2(run_slides(work, "--format", "gif"), "unknown format 'gif'", "html, pptx or both")
    _one_line_exit_2(run_slides(work, "--format", ","), "--format needs html, pptx or both")
    _one_line_exit_2(run_slides(work, "--quality", "ultra"), "unknown quality preset 'ultra'", "preview, small")
    _one_line_exit_2(run_slides(work, "--segments", "a,nope"), "unknown segment 'nope'")

    clips = work / "build" / "clips"
    shutil.rmtree(clips)
    clips.write_text("a file where the folder should be")
    _one_line_exit_2(run_slides(work), "cannot write to the output folder", "--build-dir")
    clips.unlink()

    (work / "cfg.toml").write_text("[model]\nhidden_units = 0\n")
    _one_line_exit_2(run_slides(work), "[model] hidden_units = 0 is not allowed")
    assert snapshot(deck_dir(work)) == before


def test_missing_vendored_reveal_is_named_with_the_command_that_installs_it(tmp_path: Path) -> None:
    with pytest.raises(LectureError, match=r"reveal.js is not vendored .* bash scripts/vendor.sh"):
        make_deck.vendored_reveal(tmp_path / "node_modules" / "reveal.js")
    assert (
        make_deck.vendored_reveal().version
        == json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/reveal.js"]["version"]
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the file-in-the-way case runs")
def test_read_only_output_folder(work: Path) -> None:
    before = snapshot(deck_dir(work))
    folder = work / "build" / "slides"
    folder.chmod(0o555)
    try:
        _one_line_exit_2(run_slides(work), "cannot write to the output folder", "Permission denied")
    finally:
        folder.chmod(0o755)
    assert snapshot(deck_dir(work)) == before


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_an_interrupted_run_keeps_the_previous_deck_and_the_next_one_recovers(work: Path, how: str) -> None:
    before = snapshot(deck_dir(work))
    # leftovers of a run killed while it assembled the deck or cut clips
    (work / "build" / "slides" / ".staging-preview-999999").mkdir()
    (work / "build" / "clips" / "preview" / ".tmp-a-999999-abcd").mkdir()
    _slow_down_one_scene(work)  # the lecture build inside `slides` is rendering when the signal comes
    proc = start_interruptible(slides_cmd(work), new_session=True)
    try:
        _wait_for_render(work, proc)
        os.kill(proc.pid, getattr(signal, how))
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    if how == "SIGTERM":
        assert proc.returncode == 143, err
        assert "interrupted: the previous deck is unchanged" in err
    else:
        assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while _children_of(work) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _children_of(work) == []
    assert snapshot(deck_dir(work)) == before

    _speed_up_again(work)
    r = run_slides(work)
    assert r.returncode == 0, r.stderr
    assert "clips: a: 2 beats cut" in r.stderr  # a new render of a: its clips are new; the others were cached
    assert "clips: b" not in r.stderr
    assert not [p for p in (work / "build" / "slides").iterdir() if p.name.startswith(".")]
    assert not list((work / "build" / "clips" / "preview").glob(".tmp-*"))


# --- cutting ----------------------------------------------------------------------------------------------------


def test_cuts_follow_the_beats_starts() -> None:
    def rec(*beats: tuple[str, float]) -> dict[str, Any]:
        return {"beats": [{"name": n, "start": s, "end": None, "lines": []} for n, s in beats], "series": {}}

    fps = Fraction(15)
    assert beat_cuts(None, 30, fps) == [Cut(0, "", 0, 30)]
    assert beat_cuts(rec(), 30, fps) == [Cut(0, "", 0, 30)]
    # beat times are whole frames (up to float error); what precedes the first beat joins it
    assert beat_cuts(rec(("a", 0.2), ("b", 0.7999999999999999)), 30, fps) == [Cut(0, "a", 0, 12), Cut(1, "b", 12, 18)]
    # a beat that lasts no frame is dropped; one past the end too
    assert beat_cuts(rec(("a", 0), ("b", 1.0), ("c", 1.0), ("d", 5.0)), 30, fps) == [
        Cut(0, "a", 0, 15),
        Cut(2, "c", 15, 15),
    ]


def test_a_beat_off_a_keyframe_is_re_encoded_and_the_others_copied(base: Path, tmp_path: Path) -> None:
    [folder] = (base / "build" / "segments" / "preview" / "a").iterdir()
    video = folder / "segment.mp4"
    table = frame_table(video)
    assert [i for i, k in enumerate(table.keyframe) if k] == [0, 12]  # the two animations of segment a
    cuts = [Cut(0, "x", 0, 5), Cut(1, "y", 5, 7), Cut(2, "z", 12, 6)]
    clips = cut_video(video, cuts, tmp_path, ["x.mp4", "y.mp4", "z.mp4"], Preset("p", 854, 480, 15, "ultrafast", 30))
    assert [c.method for c in clips] == ["re-encode", "re-encode", "remux"]
    assert [probe(tmp_path / c.file).shown_frames for c in clips] == [5, 7, 6]
    assert probe(tmp_path / "z.mp4").frames == 2  # the wait: one still, at its first and last frame
    # and a player plays each clip to its end, the wait's still too (not a frame of it: LastPacket)
    for clip in clips:
        info = probe(tmp_path / clip.file)
        assert info.video_duration is not None and abs(info.video_duration - info.duration) < Fraction(1, 1000)
    source = [f.astype(float) for f in shown_frames(video)]
    for clip, cut in zip(clips, cuts, strict=True):
        got = [f.astype(float) for f in shown_frames(tmp_path / clip.file)]
        mse = np.mean([(a - b) ** 2 for a, b in zip(got, source[cut.first : cut.end], strict=True)])
        assert mse == 0 if clip.method == "remux" else 10 * np.log10(255**2 / max(mse, 1e-9)) > 35


def test_a_clip_takes_the_sound_of_its_beat(tmp_path: Path) -> None:
    # segments of the narrated lecture carry AAC speech: each clip gets the audio of its time span
    src = tmp_path / "src.mp4"
    rate = 44100
    with av.open(str(src), "w") as oc:
        v = oc.add_stream("libx264", rate=15)
        v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        v.options = {"g": "15", "keyint_min": "15", "sc_threshold": "0", "bf": "0"}  # keyframes at 0 and 15
        a = oc.add_stream("aac", rate=rate)
        a.layout = "mono"
        for i in range(30):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 8 * i, np.uint8), format="rgb24")
            frame.pts = i
            oc.mux(v.encode(frame))
        oc.mux(v.encode(None))
        tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(2 * rate) / rate)).astype(np.float32)
        for k in range(0, 2 * rate, 1024):
            chunk = av.AudioFrame.from_ndarray(tone[None, k : k + 1024], format="flt", layout="mono")
            chunk.sample_rate, chunk.pts = rate, k
            oc.mux(a.encode(chunk))
        oc.mux(a.encode(None))
    preset = Preset("t", 64, 48, 15, "ultrafast", 30)
    for cuts, methods in (
        ([Cut(0, "x", 0, 15), Cut(1, "y", 15, 15)], ["remux", "remux"]),
        ([Cut(0, "p", 0, 10), Cut(1, "q", 10, 20)], ["re-encode", "re-encode"]),
    ):
        clips = cut_video(src, cuts, tmp_path, [f"{c.beat}.mp4" for c in cuts], preset)
        assert [c.method for c in clips] == methods
        for clip, cut in zip(clips, cuts, strict=True):
            with av.open(str(tmp_path / clip.file)) as c:
                samples = sum(f.samples for f in c.decode(audio=0))
            assert samples / rate == pytest.approx(cut.frames / 15, abs=2048 / rate)  # within two AAC frames
