"""The lecture builder's pieces without manim: settings, input hashes, captions, stitching, publishing."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import re
import signal
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
import pytest
from cdp import CHROMIUM
from scene_checks import start_interruptible

from lecture.assemble import captions, publish
from lecture.assemble.stitch import grab_frame, probe, stitch
from lecture.assemble.timeline import lecture_timeline, read_scene_record
from lecture.errors import LectureError, StitchError
from lecture.page.lecture_page import data_url, page_html
from lecture.progress import Row, fmt_seconds, table
from lecture.render.cache import RenderedSegment, load_cached, prune
from lecture.render.inputs import (
    LOCK_FILE,
    change_reason,
    code_digest,
    history_digest,
    input_hash,
    local_dependencies,
    lock_digest,
    segment_components,
    sha256_file,
    tool_versions,
)
from lecture.render.segment import THREAD_ENV, RenderJob, manim_command, thread_share
from lecture.settings import Preset, Segment, check_scene, load_render_settings, settings_from_dict
from nncore import History, TrainConfig, load_config, train

ROOT = Path(__file__).resolve().parents[1]


# --- render settings --------------------------------------------------------------------------


def test_real_render_settings_declare_the_presets_the_core_segments_and_the_experiments() -> None:
    s = load_render_settings(ROOT / "media_config/render.toml")
    assert s.default_quality == "course"
    assert {n: (p.width, p.height, p.fps) for n, p in s.presets.items()} == {
        "preview": (854, 480, 15),
        "course": (1920, 1080, 30),
        "hd60": (1920, 1080, 60),
    }
    assert {(p.x264_preset, p.crf) for p in s.presets.values()} == {("veryfast", 23)}
    assert (s.opening.file, s.opening.cls) == (Path("scenes/title_card.py"), "TitleCard")
    assert (s.closing.file, s.closing.cls) == (Path("scenes/summary.py"), "Summary")
    enabled = [(x.name, x.file.as_posix(), x.cls) for x in s.segments if x.enabled]
    assert enabled == [
        ("matrix_algebra", "scenes/matrix_algebra.py", "MatrixAlgebra"),
        ("forward_pass", "scenes/forward_pass.py", "ForwardPass"),
        ("backprop", "scenes/backprop.py", "Backprop"),
        ("decision_boundary", "scenes/decision_boundary.py", "DecisionBoundary"),
        ("learning_rates", "scenes/learning_rates.py", "LearningRates"),
        ("initialization", "scenes/initialization.py", "Initialization"),
        ("optimizers", "scenes/optimizers.py", "Optimizers"),
        ("regularization", "scenes/regularization.py", "Regularization"),
        ("hidden_sizes", "scenes/hidden_sizes.py", "HiddenSizes"),
    ]
    assert {x.name: x.sweeps for x in s.segments if x.sweeps and x.enabled} == {
        "learning_rates": ("learning_rates",),
        "initialization": ("initialization",),
        "optimizers": ("optimizers",),
        "regularization": ("regularization", "dropout"),
        "hidden_sizes": ("hidden_sizes",),
    }
    assert [x.name for x in s.segments if not x.enabled] == ["datasets"]
    lecture = s.lecture()
    assert lecture[0] is s.opening and lecture[-1] is s.closing and len(lecture) == 11
    # choosing segments keeps the declared order, enabled or not
    assert [x.name for x in s.lecture(["datasets", "backprop"])] == ["title", "backprop", "datasets", "summary"]


def _raw() -> dict:
    return {
        "default_quality": "preview",
        "presets": {"preview": {"width": 854, "height": 480, "fps": 15}},
        "opening": {"name": "title", "file": "a.py", "class": "A"},
        "closing": {"name": "end", "file": "b.py", "class": "B"},
        "segments": [{"name": "one", "file": "c.py", "class": "C", "enabled": True}],
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r.update(colour=1), "unknown key 'colour'"),
        (lambda r: r.pop("closing"), "missing 'closing'"),
        (
            lambda r: r.update(default_quality="ultra"),
            "default_quality = 'ultra' is not allowed; expected one of preview",
        ),
        (lambda r: r["presets"]["preview"].update(width=853), "must be even"),
        (lambda r: r["presets"]["preview"].update(fps=15.5), "'fps' must be an integer"),
        (
            lambda r: r["presets"]["preview"].update(x264_preset="quick"),
            r"\[presets.preview\]: x264_preset = 'quick' is not allowed; expected one of ultrafast, superfast",
        ),
        (lambda r: r["presets"]["preview"].update(crf=52), "crf = 52 is not allowed; expected an integer from 0 to 51"),
        (lambda r: r["presets"]["preview"].update(crf="23"), "crf = '23' is not allowed"),
        (
            lambda r: r["presets"]["preview"].update(frame_rate="vfr"),
            r"frame_rate = 'vfr' is not allowed; expected one of 'variable', 'constant'",
        ),
        (lambda r: r["presets"]["preview"].update(threads=4), "unknown key 'threads'; allowed: width, height, fps"),
        (lambda r: r["segments"][0].update(enabled="yes"), "'enabled' must be a bool"),
        (lambda r: r["segments"][0].update(name="One"), "name 'One' is not allowed"),
        (lambda r: r["segments"][0].update(name="title"), "segment name 'title' is used twice"),
        (lambda r: r["segments"][0].pop("class"), "missing key 'class'"),
        (lambda r: r["opening"].update(enabled=True), "unknown key 'enabled'"),
    ],
)
def test_bad_render_settings_are_one_line_errors(edit, message: str) -> None:
    raw = _raw()
    edit(raw)
    with pytest.raises(LectureError, match=message) as info:
        settings_from_dict(raw, Path("render.toml"))
    assert "\n" not in str(info.value) and str(info.value).startswith("render.toml")


def test_preset_encoder_settings_default_to_manims_and_reach_the_command_and_the_hash() -> None:
    plain = settings_from_dict(_raw(), Path("render.toml")).preset("preview")
    assert (plain.x264_preset, plain.crf) == ("medium", 23)  # what manim itself would use
    raw = _raw()
    raw["presets"]["preview"].update(x264_preset="veryfast", crf=20)
    fast = settings_from_dict(raw, Path("render.toml")).preset("preview")
    assert fast.key() == "854x480@15 veryfast crf20 vfr" and plain.key() != fast.key()
    # a still encoded every frame is another render (its bytes differ), with the key renders had before
    raw["presets"]["preview"].update(frame_rate="constant")
    constant = settings_from_dict(raw, Path("render.toml")).preset("preview")
    assert (plain.frame_rate, constant.frame_rate) == ("variable", "constant")
    assert constant.key() == "854x480@15 veryfast crf20"

    cmd = manim_command(Path("s.py"), "S", fast, Path("media"), threads=3)
    options = [cmd[i + 1] for i, arg in enumerate(cmd) if arg == "--encoder-option"]
    assert options == ["preset=veryfast", "crf=20", "threads=3"]
    assert cmd[cmd.index("--resolution") + 1] == "854,480" and cmd[cmd.index("--fps") + 1] == "15"


def test_thread_share_splits_the_cores_between_renders_running_at_once() -> None:
    assert thread_share(1, cores=2) == 2  # one render alone: encoder threads use both cores
    assert thread_share(2, cores=2) == 1
    assert thread_share(3, cores=2) == 1  # never below one
    assert thread_share(2, cores=8) == 4
    assert thread_share(0, cores=4) == 4


def test_unknown_quality_and_segment_name_the_choices() -> None:
    s = settings_from_dict(_raw(), Path("render.toml"))
    with pytest.raises(LectureError, match=r"unknown quality preset 'hd60'; use one of preview \(declared"):
        s.preset("hd60")
    with pytest.raises(LectureError, match=r"unknown segment 'two' in --segments; the segments of render.toml are one"):
        s.lecture(["two"])


def test_check_scene_needs_the_file_and_the_class(tmp_path: Path) -> None:
    s = settings_from_dict(_raw(), Path("render.toml"))
    seg = s.segments[0]
    with pytest.raises(LectureError, match="scene file c.py does not exist; create it or set enabled = false"):
        check_scene(s, seg, tmp_path)
    (tmp_path / "c.py").write_text("class D:\n    pass\n")
    with pytest.raises(LectureError, match=r"c.py defines no class 'C' \(it defines: D\)"):
        check_scene(s, seg, tmp_path)
    (tmp_path / "c.py").write_text("class C:\n    pass\n")
    check_scene(s, seg, tmp_path)


# --- input hashes -----------------------------------------------------------------------------


def test_history_digest_is_the_content_not_the_file(tmp_path: Path) -> None:
    cfg = TrainConfig(hidden_units=2, iterations=20)
    a, b = train(cfg).save(tmp_path / "a.npz"), train(cfg).save(tmp_path / "b.npz")
    ha, hb = History.load(a), History.load(b)
    assert history_digest(ha) == history_digest(hb)
    cost = hb.cost.copy()
    cost[-1] += 1e-12
    hb = dataclasses.replace(hb, cost=cost)
    assert history_digest(ha) != history_digest(hb)
    assert history_digest(History.load(train(TrainConfig(hidden_units=3, iterations=20)).save(tmp_path / "c.npz"))) != (
        history_digest(ha)
    )


def test_dependencies_follow_local_imports_transitively(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("import json\nfrom other import x\n")
    (tmp_path / "other.py").write_text("x = 1\n")
    (tmp_path / "unused.py").write_text("y = 2\n")
    scene = tmp_path / "scene.py"
    scene.write_text("import numpy\nfrom helper import thing\nfrom scenes.common.history import load_history\n")
    deps = {
        p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else p.name for p in local_dependencies(scene, ROOT)
    }
    assert {"scene.py", "helper.py", "other.py"} <= deps and "unused.py" not in deps
    # scenes.common pulls in its package, its modules and, through them, nncore
    assert {"scenes/__init__.py", "scenes/common/__init__.py", "scenes/common/history.py", "nncore/train.py"} <= deps


def test_code_digest_changes_with_a_dependency_but_not_with_an_unrelated_file(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("A = 1\n")
    scene = tmp_path / "scene.py"
    scene.write_text("from helper import A\n")
    before, files = code_digest(scene, tmp_path)
    assert "helper.py" in files
    (tmp_path / "unrelated.py").write_text("B = 2\n")
    assert code_digest(scene, tmp_path)[0] == before
    (tmp_path / "helper.py").write_text("A = 2\n")
    assert code_digest(scene, tmp_path)[0] != before


def test_change_reason_names_what_changed() -> None:
    old = {"scene": "1", "code": "2", "history": "3", "preset": "p", "tools": "t"}
    assert change_reason(None, old) == "new"
    assert change_reason(old, {**old, "scene": "9"}) == "scene file changed"
    assert change_reason(old, {**old, "history": "9", "code": "8"}) == "shared code changed, history changed"
    assert change_reason(old, dict(old)) == "cache missing"
    assert input_hash(old) != input_hash({**old, "preset": "q"})


def test_python_packages_enter_the_hash_as_the_lock_files_digest(tmp_path: Path) -> None:
    tools = tool_versions()
    assert tools["python_packages"] == sha256_file(LOCK_FILE) == lock_digest()
    assert {"python", "cairo", "pango", "latex", "dvisvgm"} <= set(tools) and "numpy" not in tools
    lock = tmp_path / "requirements.lock"
    lock.write_text("manim==0.22.0 --hash=sha256:aa\n")
    first = lock_digest(lock)
    lock.write_text("manim==0.22.0 --hash=sha256:aa\nskia-pathops==0.9.2 --hash=sha256:bb\n")
    assert lock_digest(lock) != first
    assert lock_digest(tmp_path / "none.lock").startswith("installed:")  # a checkout installed another way
    scene = ROOT / "tests" / "lecture_scenes" / "tiny_a.py"
    a = segment_components(scene, "TinyA", ROOT, "h", "854x480@15", tools)
    b = segment_components(scene, "TinyA", ROOT, "h", "854x480@15", {**tools, "python_packages": first})
    assert change_reason(a, b) == "tools changed"


# --- captions ---------------------------------------------------------------------------------


SRT = """1
00:00:00,000 --> 00:00:01,500
Hello <world> & co

2
00:00:01,500 --> 00:00:09,000
runs past the end
"""


def test_srt_parse_shift_clip_and_write() -> None:
    cues = captions.parse_srt(SRT)
    assert cues == [
        captions.Cue(Fraction(0), Fraction(3, 2), "Hello <world> & co"),
        captions.Cue(Fraction(3, 2), Fraction(9), "runs past the end"),
    ]
    moved = captions.shift(cues, Fraction(10), limit=Fraction(2))
    assert [(c.start, c.end) for c in moved] == [(10, Fraction(23, 2)), (Fraction(23, 2), 12)]
    assert captions.shift(cues, Fraction(0), limit=Fraction(1)) == [
        captions.Cue(Fraction(0), Fraction(1), "Hello <world> & co")
    ]
    srt = captions.to_srt(moved)
    assert srt.startswith("1\n00:00:10,000 --> 00:00:11,500\nHello <world> & co\n\n2\n")
    assert captions.parse_srt(srt) == moved
    vtt = captions.to_vtt(moved)
    assert vtt.startswith("WEBVTT\n\n00:00:10.000 --> 00:00:11.500\nHello &lt;world&gt; &amp; co\n")


def test_overlapping_captions_give_way_to_the_next() -> None:
    f = Fraction
    cues = [captions.Cue(f(5), f(6), "c"), captions.Cue(f(0), f(2), "a"), captions.Cue(f(29, 15), f(4), "b")]
    assert captions.without_overlaps(cues) == [
        captions.Cue(f(0), f(29, 15), "a"),
        captions.Cue(f(29, 15), f(4), "b"),
        captions.Cue(f(5), f(6), "c"),
    ]
    same_start = [captions.Cue(f(1), f(2), "x"), captions.Cue(f(1), f(3), "y")]
    assert captions.without_overlaps(same_start) == [captions.Cue(f(1), f(3), "y")]


def test_times_round_to_the_millisecond() -> None:
    assert captions.format_time(Fraction(37, 15)) == "00:00:02.467"
    assert captions.format_time(3723.5, ",") == "01:02:03,500"
    assert captions.parse_time("01:02:03.500") == Fraction(7447, 2)
    with pytest.raises(ValueError):
        captions.parse_time("1:2:3")
    with pytest.raises(LectureError, match="without a 'start --> end' line"):
        captions.parse_srt("1\nno times here\n")


def test_srt_is_read_and_written_with_the_srt_library() -> None:
    import srt

    cues = [captions.Cue(Fraction(0), Fraction(37, 15), "two\nlines"), captions.Cue(Fraction(37, 15), Fraction(4), "b")]
    text = captions.to_srt(cues)
    subs = list(srt.parse(text))
    assert [s.index for s in subs] == [1, 2] and subs[0].content == "two\nlines"
    assert str(subs[0].end) == "0:00:02.467000"  # rounded to the nearest millisecond, not truncated
    # as manim writes it (srt.compose), with a byte-order mark and Windows line ends
    manim_srt = "\ufeff" + srt.compose([srt.Subtitle(7, subs[1].start, subs[1].end, "b")]).replace("\n", "\r\n")
    assert captions.parse_srt(manim_srt) == [captions.Cue(Fraction(2467, 1000), Fraction(4), "b")]
    assert captions.parse_srt("") == []


def test_chapters_are_back_to_back() -> None:
    cues = captions.chapters(["Title", "A", "End"], [Fraction(37, 15), Fraction(2), Fraction(1, 3)])
    assert [(c.start, c.end) for c in cues] == [
        (0, Fraction(37, 15)),
        (Fraction(37, 15), Fraction(67, 15)),
        (
            Fraction(67, 15),
            Fraction(72, 15),
        ),
    ]
    vtt = captions.to_vtt(cues, ids=["title", "a", "end"])
    assert vtt.count(" --> ") == 3 and "\na\n00:00:02.467 --> 00:00:04.467\nA\n" in vtt


# --- stitching ----------------------------------------------------------------------------------


def _video(
    path: Path,
    frames: int,
    size: tuple[int, int] = (64, 48),
    fps: int = 15,
    shade: int = 0,
    jitter: bool = False,
    hold: int = 0,
) -> Path:
    """A small H.264 video encoded as manim encodes (libx264, yuv420p, B-frames on).

    ``jitter`` puts the frames after the third 5 ticks early (1/15360 s time base), as manim's
    own concatenation of its partial movie files sometimes does. ``hold`` shows the last picture
    ``hold`` frames longer, encoded again at the hold's last frame, as the build's variable frame
    rate encodes a still (:mod:`lecture.render.manim_child`).
    """
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=fps, options={"crf": "23"})
        s.width, s.height, s.pix_fmt = size[0], size[1], "yuv420p"
        s.codec_context.time_base = Fraction(1, 15360)
        for k, i in enumerate(list(range(frames)) + ([frames - 1 + hold] if hold else [])):
            img = np.full((size[1], size[0], 3), (shade + 10 * min(k, frames - 1)) % 256, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i * (15360 // fps) - (5 if jitter and i >= 3 else 0)
            frame.time_base = Fraction(1, 15360)
            for p in s.encode(frame):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def test_stitch_joins_without_reencoding_and_checks_the_sum(tmp_path: Path) -> None:
    a, b = _video(tmp_path / "a.mp4", 37), _video(tmp_path / "b.mp4", 26, shade=100)
    out = tmp_path / "out.mp4"
    r = stitch([a, b, a], out, metadata={"title": "t"})
    assert r.frames == 37 + 26 + 37
    assert r.duration == Fraction(100, 15) and r.starts == (0, Fraction(37, 15), Fraction(63, 15))
    info = probe(out)
    assert (info.frames, info.duration, info.width, info.height) == (100, Fraction(100, 15), 64, 48)
    # the packets are copied, not re-encoded: the same bytes in the same order
    with av.open(str(a)) as ca, av.open(str(out)) as co:
        first = [bytes(p) for p in ca.demux(video=0) if p.size]
        joined = [bytes(p) for p in co.demux(video=0) if p.size]
    assert joined[:37] == first and joined[63:] == first
    # every frame decodes, in order, with the shade of its source
    with av.open(str(out)) as co:
        frames = list(co.decode(video=0))
    assert len(frames) == 100
    pts = [cast(int, f.pts) for f in frames]
    assert pts == sorted(pts)
    pixel = cast(tuple[int, ...], grab_frame(out, Fraction(37, 15)).getpixel((5, 5)))
    assert abs(int(pixel[0]) - 100) <= 3  # first frame of b


def test_stitch_keeps_the_timing_of_segments_whose_frames_are_slightly_off_the_grid(tmp_path: Path) -> None:
    a, b = _video(tmp_path / "a.mp4", 10, jitter=True), _video(tmp_path / "b.mp4", 8)
    ia = probe(a)
    assert ia.rate == 15 and ia.duration == Fraction(10 * 1024 - 5, 15360)  # nominal rate, real duration
    r = stitch([a, b], tmp_path / "out.mp4")
    assert r.frames == 18 and r.duration == ia.duration + Fraction(8, 15) and r.starts[1] == ia.duration


def test_a_stitched_video_ending_on_a_held_still_lasts_its_whole_length(tmp_path: Path) -> None:
    # A silent lecture ends on a still held for seconds, encoded at its first and its last frame.
    # That last picture is decoded before the ones shown ahead of it; copied as it was, the
    # track's decoding times summed to the hold's length less, and Chromium played it that much
    # short (2.73 s of this 8.67 s video; a preview lecture 3:41 of 3:50), the still cut off.
    a, b = _video(tmp_path / "a.mp4", 20), _video(tmp_path / "b.mp4", 20, shade=100, hold=90)
    assert probe(b).frames == 21 and probe(b).duration == Fraction(110, 15)
    r = stitch([a, b], tmp_path / "out.mp4")
    out = probe(r.path)
    assert r.duration == out.duration == Fraction(130, 15) and out.frames == 41
    assert out.video_duration == out.duration  # as FFmpeg reads the track
    with av.open(str(r.path)) as c:
        assert c.duration is not None and abs(c.duration / 1e6 - 130 / 15) < 1e-3
    held = cast(tuple[int, ...], grab_frame(r.path, Fraction(129, 15)).getpixel((5, 5)))
    assert abs(int(held[0]) - (100 + 190) % 256) <= 3  # the held picture, to the end
    if CHROMIUM is None:
        pytest.skip("needs Chromium (Debian package `chromium`) for the player's duration")
    from cdp import Browser

    (tmp_path / "play.html").write_text('<video id="v" src="out.mp4" preload="metadata"></video>')
    browser = Browser(tmp_path / "profile")
    try:
        browser.open((tmp_path / "play.html").as_uri())
        duration = browser.eval(
            "new Promise(function (done) { var v = document.getElementById('v');"
            " if (v.readyState >= 1) done(v.duration);"
            " else v.addEventListener('loadedmetadata', function () { done(v.duration); }); })"
        )
    finally:
        browser.close()
    assert duration == pytest.approx(130 / 15, abs=1e-3)


def test_stitch_refuses_videos_that_differ(tmp_path: Path) -> None:
    a = _video(tmp_path / "a.mp4", 5)
    b = _video(tmp_path / "b.mp4", 5, size=(80, 48))
    with pytest.raises(StitchError, match=r"segment 'b' cannot be joined to 'a' without re-encoding \(h264 80x48"):
        stitch([a, b], tmp_path / "out.mp4", names=["a", "b"])
    c = _video(tmp_path / "c.mp4", 5, fps=30)
    with pytest.raises(StitchError, match="cannot be joined"):
        stitch([a, c], tmp_path / "out.mp4", names=["a", "c"])
    (tmp_path / "bad.mp4").write_bytes(b"not a video")
    with pytest.raises(StitchError, match="not a readable video"):
        stitch([a, tmp_path / "bad.mp4"], tmp_path / "out.mp4")


# --- cache entries, publishing, table, page -------------------------------------------------------


def _fake_entry(segments_dir: Path, name: str, key: str, tmp_path: Path) -> Path:
    folder = segments_dir / name / key[:16]
    folder.mkdir(parents=True)
    video = _video(folder / "segment.mp4", 3)
    (folder / "segment.srt").write_text("")
    (folder / "thumb.jpg").write_bytes(b"jpg")
    meta = {"name": name, "key": key, "duration": "1/5", "frames": 3, "render_seconds": 1.0, "components": {}}
    meta["video_bytes"] = video.stat().st_size
    (folder / "segment.json").write_text(json.dumps(meta))
    return folder


def test_cached_renders_are_used_only_when_whole(tmp_path: Path) -> None:
    seg_dir = tmp_path / "segments"
    key = "ab" * 32
    folder = _fake_entry(seg_dir, "a", key, tmp_path)
    got = load_cached(seg_dir, "a", key)
    assert isinstance(got, RenderedSegment) and got.duration == Fraction(1, 5) and got.video == folder / "segment.mp4"
    assert load_cached(seg_dir, "a", "cd" * 32) is None
    with open(folder / "segment.mp4", "ab") as fh:  # truncated or altered video
        fh.write(b"x")
    assert load_cached(seg_dir, "a", key) is None
    (folder / "segment.json").write_text("{")
    assert load_cached(seg_dir, "a", key) is None


def test_a_render_kept_without_a_scene_record_is_used_and_has_no_beats(tmp_path: Path) -> None:
    seg_dir = tmp_path / "segments"
    folder = _fake_entry(seg_dir, "a", "ab" * 32, tmp_path)  # an older render: no scene.json
    got = load_cached(seg_dir, "a", "ab" * 32)
    assert got is not None and got.record == folder / "scene.json" and not got.record.exists()
    assert read_scene_record(got.record) is None
    assert lecture_timeline(None, Fraction(3), Fraction(1)) == {"beats": [], "series": {}}
    for bad in ("{", "[]", '{"beats": [{"name": "x"}]}', '{"beats": [], "series": []}'):
        got.record.write_text(bad)
        assert read_scene_record(got.record) is None, bad


def test_scene_records_move_to_lecture_time_and_end_with_their_chapter(tmp_path: Path) -> None:
    record = {
        "beats": [
            {"name": "one", "start": 0.0, "end": 1.5, "lines": [{"text": "first", "start": 0.0, "end": 1.5}]},
            {
                "name": "two",
                "start": 1.5,
                "end": 4.25,  # past the chapter's end (the video is 4 s long): cut, as captions are
                "lines": [{"text": "second", "start": 1.5, "end": 3.0}, {"text": "third", "start": 3.0, "end": None}],
            },
        ],
        "series": {"clock": [[0.0, 0], [2.0, 500], [3.5, 1000]], "other": ["not timed"]},
    }
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(record))
    got = lecture_timeline(read_scene_record(path), Fraction(10), Fraction(4))
    assert got["beats"] == [
        {"name": "one", "start": 10.0, "end": 11.5, "lines": [{"text": "first", "start": 10.0, "end": 11.5}]},
        {
            "name": "two",
            "start": 11.5,
            "end": 14.0,
            "lines": [{"text": "second", "start": 11.5, "end": 13.0}, {"text": "third", "start": 13.0, "end": 14.0}],
        },
    ]
    assert got["series"] == {"clock": [[10.0, 0], [12.0, 500], [13.5, 1000]], "other": ["not timed"]}
    third = lecture_timeline(record, Fraction(1, 3), Fraction(4))["beats"][0]["start"]
    assert third == round(1 / 3, 6)  # rounded as the manifest rounds the segments' starts


def test_a_render_job_sets_the_childs_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NN_CONFIG", "some/other.toml")
    monkeypatch.setenv("NN_SCENE_RECORD", "elsewhere.json")
    seg = Segment("a", "A", Path("scenes/a.py"), "A")
    preset = Preset("p", 64, 36, 5)
    job = RenderJob(seg, preset, "ab" * 32, {}, tmp_path / "segments", tmp_path, Path("h.npz"))
    env = job.environment(tmp_path / "tmp" / "scene.json")
    assert env["NN_HISTORY"] == str(Path("h.npz").resolve()) and "NN_CONFIG" not in env
    assert env["NN_SCENE_RECORD"] == str(tmp_path / "tmp" / "scene.json")
    monkeypatch.delenv("NN_SWEEPS", raising=False)
    env = job.environment(tmp_path / "tmp" / "scene.json")
    assert "NN_SWEEPS" not in env and all(env.get(k) == os.environ.get(k) for k in THREAD_ENV)  # threads: 0
    sweeps = {"NN_SWEEPS": "s.toml", "NN_SWEEP_DIR": "out"}
    env = RenderJob(seg, preset, "ab" * 32, {}, tmp_path, tmp_path, Path("h.npz"), sweeps, threads=1).environment(
        tmp_path / "r.json"
    )
    assert env["NN_SWEEPS"] == "s.toml" and env["NN_SWEEP_DIR"] == "out" and env["OPENBLAS_NUM_THREADS"] == "1"
    assert job.scene_file == tmp_path / "scenes" / "a.py"
    assert job.cache_folder == tmp_path / "segments" / "a" / ("ab" * 8)
    assert job.failed_log == tmp_path / "segments" / "a.failed.log"
    assert job.manim_args(tmp_path / "media") == manim_command(
        tmp_path / "scenes" / "a.py", "A", preset, tmp_path / "media", 0
    )


def test_prune_keeps_the_render_in_use_and_the_most_recent(tmp_path: Path) -> None:
    seg_dir = tmp_path / "segments"
    keys = [f"{i:02d}" * 32 for i in range(6)]
    for i, k in enumerate(keys):
        f = _fake_entry(seg_dir, "a", k, tmp_path)
        os.utime(f / "segment.json", (1000 + i, 1000 + i))
    prune(seg_dir, {"a": {keys[0]}}, keep=2)
    left = sorted(p.name for p in (seg_dir / "a").iterdir())
    assert left == sorted([keys[0][:16], keys[4][:16], keys[5][:16]])


def test_publish_swaps_whole_folders_and_recover_undoes_a_half_swap(tmp_path: Path) -> None:
    target = tmp_path / "lecture" / "preview"
    target.mkdir(parents=True)
    (target / "lecture.mp4").write_text("old")
    staging = publish.staging_path(target)
    staging.mkdir()
    (staging / "lecture.mp4").write_text("new")
    publish.publish(staging, target)
    assert (target / "lecture.mp4").read_text() == "new" and not staging.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["preview"]

    # a build killed between the two renames of the fallback swap: the old folder waits aside
    previous = publish.previous_path(target)
    target.rename(previous)
    stale = publish.staging_path(target)
    stale.mkdir()
    (stale / "lecture.mp4").write_text("half")
    publish.recover(target)
    assert (target / "lecture.mp4").read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["preview"]

    # the fallback itself (where renameat2 is missing) gives the same result
    staging = publish.staging_path(target)
    staging.mkdir()
    (staging / "lecture.mp4").write_text("newer")
    original = publish._exchange
    publish._exchange = lambda a, b: False
    try:
        publish.publish(staging, target)
    finally:
        publish._exchange = original
    assert (target / "lecture.mp4").read_text() == "newer"
    assert sorted(p.name for p in target.parent.iterdir()) == ["preview"]


def test_table_lists_every_segment_and_the_totals() -> None:
    rows = [
        Row("title", Fraction(9), "rendered (new)", 12.34),
        Row("backprop", Fraction(125), "reused", None),
    ]
    text = table(rows, 13.0)
    lines = text.splitlines()
    assert lines[0].split() == ["segment", "duration", "status", "time"]
    assert (
        lines[2].split()[:3] == ["title", "9.0", "s"] and "rendered (new)" in lines[2] and lines[2].endswith("12.3 s")
    )
    assert "backprop" in lines[3] and "2:05.0" in lines[3] and "reused" in lines[3] and lines[3].endswith("-")
    assert lines[-1].split()[0] == "total" and "2:14.0" in lines[-1] and "1 rendered, 1 reused" in lines[-1]
    assert fmt_seconds(3725) == "1:02:05"


def test_page_uses_relative_paths_and_inlines_the_tracks(tmp_path: Path) -> None:
    from lecture.assemble.companions import Chapter

    seg = Segment("title", "Title & more", Path("t.py"), "T")
    folder = _fake_entry(tmp_path / "s", "title", "ab" * 32, tmp_path)
    r = RenderedSegment("title", "ab" * 32, folder, Fraction(1, 5), 3, 1.0, {})
    vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:00.200\nTitle\n"
    page = page_html("A <b> title", ["x"], [Chapter(seg, r, Fraction(0), 1)], vtt, vtt, (854, 480), "f")
    assert 'src="lecture.mp4"' in page and 'poster="poster.png"' in page and 'src="thumbs/01-title.jpg"' in page
    assert "Title &amp; more" in page and "A &lt;b&gt; title" in page
    assert page.count(data_url(vtt)) == 2
    links = re.findall(r'(?:src|href|poster)="([^"]*)"', page)
    assert len(links) >= 8
    for link in links:  # relative paths, in-page anchors and inline data only: the page works from disk
        assert link.startswith(("data:text/vtt", "#")) or (":" not in link and not link.startswith("/")), link


# --- pre-flight -----------------------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lecture", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )


def test_cli_usage_errors_are_one_line_exit_2() -> None:
    r = _cli("build", "--jobs", "0")
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and "at least 1 parallel render" in r.stderr
    r = _cli("frobnicate")
    assert r.returncode == 2 and "invalid choice" in r.stderr and r.stderr.count("\n") == 1
    r = _cli()
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_cli_names_itself_as_it_was_started_and_prints_its_version() -> None:
    version = importlib.metadata.version("nn-lecture")
    r = _cli("--version")
    assert r.returncode == 0 and r.stdout == f"python -m lecture {version}\n"
    script = Path(sys.executable).parent / "lecture"  # [project.scripts], installed by the set-up
    r = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == f"lecture {version}\n"
    r = subprocess.run([script, "build", "--quality"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.startswith("lecture build: error: ") and r.stderr.count("\n") == 1
    assert _cli("build", "--quality").stderr.startswith("python -m lecture build: error: ")


# The build replaced by one that waits: what is tested is how the command line ends on a signal.
_WAITING_BUILD = """
import sys, time
import lecture.cli
import lecture.cli.build
def build(opts):
    print("building", flush=True)
    time.sleep(60)
lecture.cli.build.build = build
sys.exit(lecture.cli.main(["build"]))
"""


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_exits_130_on_ctrl_c_and_143_on_kill(sig: signal.Signals, code: int) -> None:
    proc = start_interruptible([sys.executable, "-c", _WAITING_BUILD])
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "building\n"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code
    assert err == "interrupted: the previous lecture is unchanged; run the build again to finish\n"


# --- sweeps a segment reads -----------------------------------------------------------------------


def test_sweeps_are_checked_trained_once_and_digested(tmp_path: Path) -> None:
    from lecture.render.sweeps import check_sweeps, ensure_sweeps, sweep_env

    (tmp_path / "media_config").mkdir()
    (tmp_path / "media_config" / "lecture.toml").write_text("[train]\niterations = 20\n")
    (tmp_path / "media_config" / "sweeps.toml").write_text(
        'base = "lecture.toml"\n[sweeps.tiny]\nvary = "model.hidden_units"\nvalues = [1, 2]\n'
    )
    seg = Segment("s", "S", Path("s.py"), "S", True, ("tiny",))
    config = tmp_path / "media_config" / "lecture.toml"
    assert check_sweeps([Segment("t", "T", Path("t.py"), "T")], Path("render.toml"), tmp_path, config) == {}
    sweeps = check_sweeps([seg], Path("render.toml"), tmp_path, config)
    assert list(sweeps) == ["tiny"]
    with pytest.raises(LectureError, match=r"segment 's' reads sweep 'nope', which media_config/sweeps.toml does not"):
        check_sweeps([Segment("s", "S", Path("s.py"), "S", True, ("nope",))], Path("render.toml"), tmp_path, config)

    said: list[str] = []
    out = tmp_path / "build" / "sweeps"
    first = ensure_sweeps(sweeps, out, said.append)
    assert said == ["sweep tiny: trained hidden_units=1, hidden_units=2"]
    assert (out / "tiny" / "index.json").is_file()
    assert ensure_sweeps(sweeps, out, said.append) == first and len(said) == 1  # nothing retrained
    (tmp_path / "media_config" / "sweeps.toml").write_text(
        'base = "lecture.toml"\n[sweeps.tiny]\nvary = "model.hidden_units"\nvalues = [1, 3]\n'
    )
    changed = ensure_sweeps(check_sweeps([seg], Path("render.toml"), tmp_path, config), out, said.append)
    assert changed["tiny"] != first["tiny"] and said[-1] == "sweep tiny: trained hidden_units=3"

    assert sweep_env(tmp_path, out, config) == {
        "NN_SWEEPS": str(tmp_path / "media_config" / "sweeps.toml"),
        "NN_SWEEP_DIR": str(out.resolve()),
        "NN_SWEEP_BASE": str(config.resolve()),
    }
    # A lecture built from another config (--config) varies that run, not the sweeps file's base.
    other = tmp_path / "other.toml"
    other.write_text('[data]\ndataset = "moons"\n[train]\niterations = 20\nlearning_rate = 0.5\n')
    based = check_sweeps([seg], Path("render.toml"), tmp_path, other)["tiny"]
    assert {(v.config.dataset, v.config.learning_rate) for v in based.variations} == {("moons", 0.5)}
    # And the render reads the same sweeps as the build trained (load_sweep with $NN_SWEEP_BASE).
    ensure_sweeps({"tiny": based}, out, said.append)
    from nncore.sweep import load_sweep

    with pytest.MonkeyPatch.context() as mp:
        for name, value in sweep_env(tmp_path, out, other).items():
            mp.setenv(name, value)
        read = load_sweep("tiny", train_missing=False)
    assert [e.config for e in read] == [v.config for v in based.variations]


@pytest.mark.parametrize(
    ("segment", "sweeps", "needle"),
    [
        (
            Segment(
                "initialization", "I", Path("scenes/initialization.py"), "Initialization", True, ("initialization",)
            ),
            '[sweeps.initialization]\nvary = "train.learning_rate"\nvalues = [0.1, 1.2]\n',
            "sweep 'initialization' must vary model.init over 1 to 5 different values (its values: 0.1, 1.2), "
            "for segment 'initialization' (scenes/initialization.py)",
        ),
        (
            Segment("optimizers", "O", Path("scenes/optimizers.py"), "Optimizers", True, ("optimizers",)),
            '[sweeps.optimizers]\nvary = "model.init"\nvalues = ["he", "zeros"]\n',
            "sweep 'optimizers' must vary train.optimizer over 1 to 5 different values (its values: he, zeros)",
        ),
        (
            Segment("regularization", "R", Path("scenes/regularization.py"), "Regularization", True, ("a", "b")),
            "",
            "",
        ),
    ],
)
def test_a_sweep_a_chapter_cannot_draw_is_refused_before_any_render(
    tmp_path: Path, segment: Segment, sweeps: str, needle: str
) -> None:
    # The chapter's own check (its module's sweep_problem) on the declared variations: nothing trained.
    from lecture.render.sweeps import check_sweeps

    (tmp_path / "media_config").mkdir()
    config = tmp_path / "media_config" / "lecture.toml"
    config.write_text("[train]\niterations = 20\n")
    if not sweeps:  # the regularisation chapter: its two sweeps train different runs
        segment = Segment(segment.name, "R", segment.file, segment.cls, True, ("regularization", "dropout"))
        sweeps = (
            '[sweeps.regularization]\nvary = "train.l2"\nvalues = [0.0]\n\n[sweeps.dropout]\nvary = "train.keep_prob"\n'
            "values = [0.5]\n\n[sweeps.dropout.overrides.data]\ntest_points = 40\n"
        )
        needle = "sweeps 'regularization' and 'dropout' must train the same run but for train.l2 and train.keep_prob"
    (tmp_path / "media_config" / "sweeps.toml").write_text('base = "lecture.toml"\n' + sweeps)
    with pytest.raises(LectureError) as err:
        check_sweeps([segment], Path("render.toml"), tmp_path, config)
    assert str(err.value).startswith(f"{tmp_path / 'media_config' / 'sweeps.toml'}: ") and needle in str(err.value)
    assert not (tmp_path / "build").exists()


def test_sweeps_are_kept_per_base_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building from two configs in turn trains each one's sweeps once; the lecture's own stay in build/sweeps."""
    from lecture.render.histories import KEEP_HISTORIES
    from lecture.render.sweeps import BY_CONFIG, check_sweeps, ensure_sweeps, sweeps_dir

    monkeypatch.chdir(tmp_path)
    (tmp_path / "media_config").mkdir()
    default = tmp_path / "media_config" / "lecture.toml"
    default.write_text("[train]\niterations = 20\n")
    (tmp_path / "media_config" / "sweeps.toml").write_text(
        'base = "lecture.toml"\n[sweeps.tiny]\nvary = "model.hidden_units"\nvalues = [1, 2]\n'
    )
    other = tmp_path / "other.toml"
    other.write_text('[data]\ndataset = "moons"\n[train]\niterations = 20\n')
    seg = Segment("s", "S", Path("s.py"), "S", True, ("tiny",))
    build = tmp_path / "build"
    assert sweeps_dir(build, Path("media_config/lecture.toml")) == build / "sweeps" == sweeps_dir(build)
    folder = sweeps_dir(build, other)
    assert folder.parent == build / BY_CONFIG and folder != sweeps_dir(build, default)
    said: list[str] = []
    for config in (default, other, default, other):
        sweeps = check_sweeps([seg], Path("render.toml"), tmp_path, config)
        ensure_sweeps(sweeps, sweeps_dir(build, config), said.append)
    assert said == ["sweep tiny: trained hidden_units=1, hidden_units=2"] * 2  # once each, then reused
    # Only the most recent configs' folders are kept.
    for k in range(KEEP_HISTORIES + 2):
        more = tmp_path / f"c{k}.toml"
        more.write_text(f"[train]\niterations = {30 + k}\n")
        sweeps_dir(build, more)
    assert len(list((build / BY_CONFIG).iterdir())) == KEEP_HISTORIES


# --- the history per config -----------------------------------------------------------------------


def test_histories_are_kept_per_config_and_build_history_follows_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lecture.render.histories import ensure_lecture_history
    from nncore import load_config

    monkeypatch.chdir(tmp_path)
    default = Path("media_config/lecture.toml")
    default.parent.mkdir()
    default.write_text("[model]\nhidden_units = 2\n[train]\niterations = 20\n")
    build = Path("build")
    cfg_a = load_config(default)
    path_a, h, trained = ensure_lecture_history(cfg_a, default, build)
    assert trained and h.hidden_units == 2
    assert History.load(build / "history.npz").meta["config"] == cfg_a.to_dict()

    default.write_text("[model]\nhidden_units = 3\n[train]\niterations = 20\n")  # hidden_units changed
    cfg_b = load_config(default)
    path_b, h, trained = ensure_lecture_history(cfg_b, default, build)
    assert trained and path_b != path_a and h.hidden_units == 3
    assert History.load(build / "history.npz").hidden_units == 3

    default.write_text("[model]\nhidden_units = 2\n[train]\niterations = 20\n")  # and back: no training
    _, h, trained = ensure_lecture_history(load_config(default), default, build)
    assert not trained and h.hidden_units == 2 and History.load(build / "history.npz").hidden_units == 2

    other = Path("other.toml")  # another config file never touches build/history.npz
    other.write_text("[model]\nhidden_units = 5\n[train]\niterations = 20\n")
    _, h, trained = ensure_lecture_history(load_config(other), other, build)
    assert trained and h.hidden_units == 5 and History.load(build / "history.npz").hidden_units == 2


# --- every configuration the core accepts is drawn ---------------------------------------------------


def test_the_build_takes_the_course_notebooks_configurations(tmp_path: Path) -> None:
    """The two configurations media_config/ ships for the course's notebooks pass every check before a render."""
    from lecture.render.sweeps import check_sweeps

    root = Path(__file__).resolve().parents[1]
    settings = load_render_settings(root / "media_config" / "render.toml")
    for name in ("course_initialization.toml", "moons_adam_l2_dropout.toml"):
        config = root / "media_config" / name
        cfg = load_config(config)
        assert len(cfg.layers) == 2 and cfg.activation == "relu" and cfg.test_points == 100
        sweeps = check_sweeps(settings.lecture(), settings.path, root, config)
        assert sweeps and all(s.variations for s in sweeps.values())


def test_the_page_subtitle_says_what_the_run_is(tmp_path: Path) -> None:
    from lecture.assemble.companions import lecture_facts
    from nncore import TrainConfig, train

    week3 = lecture_facts(train(TrainConfig(iterations=20)))
    assert week3[:4] == ["data set flower (400 points)", "4 hidden units", "learning rate 1.2", "20 iterations"]
    deep = TrainConfig(
        dataset="moons",
        hidden_layers=(5, 2),
        activation="relu",
        optimizer="adam",
        batch_size=64,
        iterations=3,
        l2=0.05,
        test_points=100,
        learning_rate=0.0007,
    )
    h = train(deep)
    facts = lecture_facts(h)
    assert facts[:5] == [
        "data set moons (200 points, 100 test points)",
        "two hidden layers of 5 and 2 units (ReLU)",
        "Adam on mini-batches of 64",
        "L2 regularisation (lambda 0.05)",
        "learning rate 0.0007",
    ]
    assert facts[5] == "3 epochs" and facts[-1] == f"test accuracy {100 * float(h.more['test_accuracy'][-1]):.2f} %"


def test_a_held_still_amid_b_frames_ends_the_video_one_frame_after_its_last_picture(tmp_path: Path) -> None:
    # A variable-rate video: moving pictures, a still encoded at its first and last frame only, more
    # moving pictures, with B-frames (veryfast). An MP4 sample's duration is its decoding-time step,
    # so with reordering the largest pts + duration overshoots the end by about the hold's length.
    import av
    import numpy as np

    from lecture.deck.clips import frame_table

    path = tmp_path / "vfr.mp4"
    shown = [*range(0, 5), 5, 34, *range(35, 41)]  # frame numbers at 15 fps; 5..34 hold one picture
    with av.open(str(path), mode="w", format="mp4") as oc:
        s = oc.add_stream("libx264", rate=15)
        s.width, s.height, s.pix_fmt = 64, 64, "yuv420p"
        s.options = {"preset": "veryfast", "crf": "23"}
        for n in shown:
            k = 5 if n == 34 else n  # the still's last frame is its first picture again
            pixels = np.full((64, 64, 3), k * 6 % 256, dtype=np.uint8)
            pixels[: k % 64] = 255 - pixels[: k % 64]
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts, frame.time_base = n, Fraction(1, 15)
            for packet in s.encode(frame):
                oc.mux(packet)
        for packet in s.encode(None):
            oc.mux(packet)
    info = probe(path)
    assert (info.frames, info.rate) == (len(shown), 15)
    assert info.duration == Fraction(41, 15) and info.shown_frames == 41
    assert frame_table(path).frames == 41
