"""The real lecture, end to end: ``python -m lecture build --quality preview`` from a small training run.

Uses ``media_config/render.toml`` as it is (every enabled segment, the title card and the
summary) with a 300-iteration config, in a temporary build folder whose TeX and speech caches are
the tests' shared ones (``scene_checks.link_caches``), and checks the files a viewer gets.
Skipped, saying why, while an enabled segment's scene file does not exist yet.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from PIL import Image
from scene_checks import ignore_marks, lecture_sweeps, link_caches

from lecture.assemble.captions import parse_srt
from lecture.assemble.stitch import probe
from lecture.quiz.bank import read_bank
from lecture.settings import load_render_settings
from nncore import History
from scenes.common.format import caption_number, caption_percent

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = load_render_settings(ROOT / "media_config/render.toml")
MISSING = [s.file.as_posix() for s in SETTINGS.lecture() if not (ROOT / s.file).is_file()]


@pytest.mark.e2e
@pytest.mark.render
@pytest.mark.skipif(bool(MISSING), reason=f"scene files not written yet: {', '.join(MISSING)}")
def test_real_lecture_at_preview_quality(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    # As after a build of media_config/lecture.toml: its sweeps trained (once per test run, shared);
    # the course's experiments pin their runs, so this config's build copies them instead of training.
    shutil.copytree(lecture_sweeps(tmp_path_factory), tmp_path / "build" / "sweeps", ignore=ignore_marks)
    cfg = tmp_path / "lecture.toml"
    cfg.write_text("[model]\nhidden_units = 4\n\n[train]\niterations = 300\n")
    cmd = [sys.executable, "-m", "lecture", "build", "--quality", "preview", "--jobs", "2"]
    cmd += ["--config", str(cfg), "--build-dir", str(link_caches(tmp_path / "build"))]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "sweep initialization: trained" not in r.stdout + r.stderr  # copied from the default lecture's
    out = tmp_path / "build" / "lecture" / "preview"
    m = json.loads((out / "manifest.json").read_text())
    segments = SETTINGS.lecture()
    assert [s["name"] for s in m["segments"]] == [s.name for s in segments]

    # the video: the segments back to back, at 480p15
    info = probe(out / "lecture.mp4")
    parts = [
        probe(next((tmp_path / "build" / "segments" / "preview" / s.name).iterdir()) / "segment.mp4") for s in segments
    ]
    assert (info.width, info.height, info.rate) == (854, 480, 15)
    assert info.duration == sum((p.duration for p in parts), Fraction(0))  # exactly, in time-base ticks
    assert info.frames == sum(p.frames for p in parts)  # every encoded picture copied once
    assert info.shown_frames == sum(p.shown_frames for p in parts) == m["video"]["frames"]
    assert abs(info.shown_frames - info.duration * 15) < 1  # one frame per 1/15 s, as a player shows them
    # a narrated lecture is mostly still pictures held while a line is said: each is encoded once
    assert info.frames < 0.7 * info.shown_frames, f"{info.frames} pictures for {info.shown_frames} frames"
    assert [s["duration"] for s in m["segments"]] == pytest.approx([float(p.duration) for p in parts], abs=1e-6)
    assert all(p.duration > 1 for p in parts)

    # one chapter per segment, title card and summary included
    chapters = (out / "chapters.vtt").read_text()
    assert chapters.count(" --> ") == len(segments) == len(SETTINGS.lecture()) and len(segments) >= 6
    for s in segments:
        assert f"\n{s.name}\n" in chapters and s.title in chapters

    # captions: every chapter narrates, in lecture time
    cues = parse_srt((out / "captions.srt").read_text())
    assert cues and (out / "captions.vtt").read_text().count(" --> ") == len(cues)
    for s in m["segments"]:
        start, end = s["start"], s["start"] + s["duration"]
        assert any(start - 1e-3 <= float(c.start) < end for c in cues), f"no caption in {s['name']}"

    # the course's experiments say what their notebooks printed, in their own chapters (pinned sweeps)
    def chapter_text(name: str) -> str:
        s = next(s for s in m["segments"] if s["name"] == name)
        return " ".join(c.text for c in cues if s["start"] <= float(c.start) < s["start"] + s["duration"])

    initialization, optimizers = chapter_text("initialization"), chapter_text("optimizers")
    assert "He, 99.33% on the training set and 96% on the test set" in initialization
    assert "Adam, 94.33%" in optimizers and "the accuracies the course's notebook printed" in optimizers
    assert "then falls to" in chapter_text("regularization")

    # the numbers are the run's: the title card's captions name its final cost and accuracy
    h = History.load(m["history"]["file"])
    assert h.iterations == 300 and m["config"]["values"]["iterations"] == 300
    title_text = " ".join(c.text for c in cues if float(c.start) < m["segments"][1]["start"])
    assert caption_number(h.cost[-1]) in title_text and caption_percent(h.accuracy[-1]) in title_text

    # the rest a viewer gets
    assert Image.open(out / "poster.png").size == (854, 480)
    assert len(list((out / "thumbs").glob("*.jpg"))) == len(segments)
    assert m["tools"]["manim"] == "0.22.0" and all(len(s["input_hash"]) == 64 for s in m["segments"])
    page = (out / "index.html").read_text()
    assert 'src="lecture.mp4"' in page and page.count("<track ") == 2

    # check your understanding: every chapter that teaches asks two to four questions of this run and
    # the page asks them (an author's edit through a rebuild: tests/test_lecture_build.py's tiny lecture)
    bank = read_bank(out / "questions.json")
    teaching = [s.name for s in segments if s.name not in ("title", "summary")]
    asked = bank.by_chapter(teaching)
    assert all(2 <= len(asked[c]) <= 4 for c in teaching), {c: len(q) for c, q in asked.items()}
    assert m["questions"]["asked"] == len(bank.asked()) and 'id="quiz"' in page
    # ...and it packs for an LMS: SCORM 1.2, GIFT, QTI
    pack = [sys.executable, "-m", "lecture", "package", "--quality", "preview", "--build-dir", str(tmp_path / "build")]
    r = subprocess.run(pack, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    packaged = tmp_path / "build" / "package" / "preview"
    with zipfile.ZipFile(packaged / "lecture-scorm12.zip") as z:
        assert {"imsmanifest.xml", "index.html", "lecture.mp4", "scorm.js", "questions.json"} <= set(z.namelist())
    assert (packaged / "questions.gift.txt").stat().st_size and (packaged / "questions-qti.zip").stat().st_size

    # a loop of a comparison chapter's beat, from the build's cached render (no rendering again)
    gif = tmp_path / "zeros.gif"
    cmd = [sys.executable, "-m", "lecture", "gif", "initialization", "--from", "zeros", "--to", "zeros"]
    cmd += ["--quality", "preview", "--build-dir", str(tmp_path / "build"), "--output", str(gif)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    loop = Image.open(gif)
    assert loop.size[0] == 480 and getattr(loop, "n_frames", 1) > 1 and gif.with_suffix(".webp").is_file()
