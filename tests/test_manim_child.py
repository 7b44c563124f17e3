"""The drawing's path cache (``lecture.render.manim_child.install_path_cache``): the same pixels, less work.

A VMobject whose points did not change since the last frame has its Cairo path replayed instead of
rebuilt. The checks: a scene that animates, transforms, updates in place and moves things back
where they were hands the encoder the same RGBA frames, bit for bit, with the cache and without
it (``NN_PATH_CACHE=off``); in one process, a replayed path is Cairo's same path, a changed points
array (in place, or only its tolerance) is never drawn from a stale path, and the cache does skip
manim's subpath search for a mobject that stays still.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecture.render.manim_child import PATH_CACHE_ENV, TEX_CACHE_ENV, install_path_cache

ROOT = Path(__file__).resolve().parents[1]

MOVING_SCENE = """
import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Arrow, Circle, Create, Dot, FadeIn, FadeOut, Line, Rectangle, Scene, Square,
    Text, Transform, ValueTracker, VGroup, always_redraw,
)


class Moving(Scene):
    def construct(self) -> None:
        cells = [0.5 * (i - 5) * RIGHT + 0.5 * (j - 3) * UP for i in range(11) for j in range(7)]
        grid = VGroup(*(Square(0.4).shift(cell) for cell in cells))
        label = Text("W x + b", font_size=36).to_edge(UP)
        self.add(grid, label)
        t = ValueTracker(0.0)
        dot = Dot(color="#ff0000")
        dot.add_updater(lambda d: d.move_to(np.array([np.cos(t.get_value()), np.sin(t.get_value()), 0.0])))
        arrow = always_redraw(lambda: Arrow(LEFT * 3, dot.get_center(), buff=0))
        ring = Circle(1.5, stroke_width=8)
        self.add(ring, dot, arrow)
        self.play(t.animate.set_value(np.pi), Create(Line(DOWN * 3, UP * 3)), run_time=1)
        box = Rectangle(width=2, height=1).to_corner(DOWN + LEFT)
        self.play(FadeIn(box), Transform(ring, Square(2.5)), run_time=0.6)
        self.wait(0.4)
        for step in (RIGHT, RIGHT, LEFT, LEFT):  # in place, and back to points it had before
            self.play(box.animate.shift(step), grid[3].animate.shift(0.1 * step), run_time=0.2)
        ring.points[:] = ring.points[::-1]  # same shape, same bytes count, other order
        self.wait(0.2)
        ring.tolerance_for_point_equality = 1.0  # the same points, subpaths merged differently
        self.wait(0.2)
        self.play(FadeOut(label), run_time=0.3)
"""


def _hashes(tmp_path: Path, scene: Path, cache: str) -> list[str]:
    out = tmp_path / f"frames-{cache}.txt"
    cmd = [sys.executable, str(ROOT / "tests" / "frame_hash_child.py"), str(out), "render", "-ql"]
    cmd += ["--disable_caching", "--progress_bar", "none", "--media_dir", str(tmp_path / f"media-{cache}")]
    cmd += [str(scene), "Moving"]
    env = {**os.environ, PATH_CACHE_ENV: cache, TEX_CACHE_ENV: "off"}
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return out.read_text(encoding="utf-8").splitlines()


@pytest.mark.render
def test_a_render_hands_the_encoder_the_same_frames_with_the_path_cache(tmp_path: Path) -> None:
    scene = tmp_path / "moving.py"
    scene.write_text(textwrap.dedent(MOVING_SCENE), encoding="utf-8")
    without, with_cache = _hashes(tmp_path, scene, "off"), _hashes(tmp_path, scene, "on")
    assert len(without) > 35  # every frame of the animations, each hashed (a still is one, repeated)
    assert len(set(h.split()[0] for h in without)) > 30  # and they move
    assert with_cache == without


@pytest.fixture
def camera(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A small Cairo camera; manim's own ``set_cairo_context_path`` is put back after the test."""
    from manim import tempconfig
    from manim.camera.camera import Camera

    monkeypatch.setattr(Camera, "set_cairo_context_path", Camera.set_cairo_context_path)
    monkeypatch.delenv(PATH_CACHE_ENV, raising=False)
    with tempconfig({"pixel_width": 160, "pixel_height": 90}):
        yield Camera()


def _draw(camera: Any, *mobjects: Any) -> np.ndarray:
    camera.reset()
    camera.capture_mobjects(list(mobjects))
    return np.asarray(camera.pixel_array).copy()


def test_a_replayed_path_is_the_same_path_and_the_same_pixels(camera: Any) -> None:
    from manim import Circle, Square, Text, VGroup

    shapes = VGroup(Circle(1.2), Square(1.0).shift((2.0, 0.5, 0.0)), Text("J = 0.69").shift((-3.0, -1.0, 0.0)))
    shapes.set_fill("#3366cc", opacity=0.5)
    plain = _draw(camera, shapes)
    ctx = camera.get_cairo_context(camera.pixel_array)
    paths = []
    for v in shapes.family_members_with_points():
        camera.set_cairo_context_path(ctx, v)
        paths.append(list(ctx.copy_path()))
    assert install_path_cache()
    for _ in range(3):  # drawn, written down, replayed
        assert np.array_equal(_draw(camera, shapes), plain)
    for v, path in zip(shapes.family_members_with_points(), paths, strict=True):
        camera.set_cairo_context_path(ctx, v)
        assert list(ctx.copy_path()) == path


def test_a_still_mobject_skips_building_its_path_and_a_changed_one_does_not(
    camera: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manim import Circle
    from manim.camera.camera import Camera

    from lecture.render import manim_child

    calls = []
    build = manim_child._build_path

    def counted(camera: Any, ctx: Any, vmobject: Any) -> None:
        calls.append(1)
        build(camera, ctx, vmobject)

    monkeypatch.setattr(manim_child, "_build_path", counted)
    ring = Circle(1.0, stroke_width=6)
    manims_own = Camera.set_cairo_context_path
    assert install_path_cache()
    for _ in range(5):
        _draw(camera, ring)
    assert len(calls) == 2  # drawn, written down; then three replays

    ring.shift((0.25, 0.0, 0.0))  # in place: the same array, other values
    moved = _draw(camera, ring)
    assert len(calls) == 3
    ring.tolerance_for_point_equality = 0.5
    _draw(camera, ring)
    assert len(calls) == 4
    ring.tolerance_for_point_equality = 1e-6

    monkeypatch.setattr(Camera, "set_cairo_context_path", manims_own)
    assert np.array_equal(moved, _draw(camera, ring))  # the moved ring as manim draws it


def test_the_cache_can_be_turned_off(camera: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from manim.camera.camera import Camera

    monkeypatch.setenv(PATH_CACHE_ENV, "off")
    original = Camera.set_cairo_context_path
    assert not install_path_cache()
    assert Camera.set_cairo_context_path is original
    monkeypatch.delenv(PATH_CACHE_ENV)
    assert install_path_cache() and install_path_cache()
    assert getattr(Camera.set_cairo_context_path, "__wrapped__", None) is original  # installed twice: wrapped once


def test_a_path_is_built_with_manims_calls_and_values(camera: Any) -> None:
    from manim import Circle, DashedLine, Text, VMobject
    from manim.camera.camera import Camera

    from lecture.render.manim_child import _build_path, _PathRecorder

    corners = VMobject().set_points_as_corners([(0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (1.0, 1.0, 0.0)])
    broken = Circle(1.0)
    broken.points[5] = np.nan  # manim draws a non-finite path as one point: nothing
    stub = VMobject()  # a curve, then a subpath of two points that manim skips
    stub.points = np.array(
        [[0.0, 0.0, 0.0], [1.0, 0.5, 0.0], [2.0, 0.1, 0.0], [3.0, 0.0, 0.0], [5.0, 5.0, 0.0], [4.0, 1.0, 0.0]]
    )
    cases: list[Any] = [Circle(1.3), DashedLine((-3.0, 0.0, 0.0), (3.0, 1.0, 0.0)), corners, broken, stub, VMobject()]
    cases += Text("a = 0.5, J").family_members_with_points()  # glyphs with holes: several subpaths
    calls = set()
    for v in cases:
        manims, ours = _PathRecorder(), _PathRecorder()
        manims_own: Any = Camera.set_cairo_context_path
        manims_own(camera, manims, v)
        _build_path(camera, ours, v)
        assert ours.ops == manims.ops  # the same calls with equal doubles (np.float64 == float exactly)
        assert all(type(x) is float for _, args in ours.ops for x in args)
        calls |= {call for call, _ in manims.ops}
    assert calls == {0, 1, 2, 3, 4}  # every kind of call is among those compared
    stub_path = _PathRecorder()
    _build_path(camera, stub_path, stub)
    assert [call for call, _ in stub_path.ops] == [0, 1, 2, 3]  # the two-point subpath is left out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    curves=st.integers(0, 12),
    gaps=st.lists(st.sampled_from(["same", "atol", "below", "above", "far", "huge"]), min_size=12, max_size=12),
    scale=st.sampled_from([1e-9, 1.0, 3.7, 1e5, 1e300]),
    atol=st.sampled_from([1e-6, 0.0, 1e-3, 0.5, 2]),
    seed=st.integers(0, 2**32 - 1),
)
def test_subpaths_split_where_manim_splits(curves: int, gaps: list[str], scale: float, atol: float, seed: int) -> None:
    """Anchors at, just inside and just outside manim's closeness threshold split the same way."""
    from manim import VMobject

    from lecture.render.manim_child import _subpaths

    rng = np.random.default_rng(seed)
    points = (rng.standard_normal((4 * curves + int(rng.integers(0, 4)), 3)) * scale).astype(np.float64)
    rtol = 1e-5
    for k in range(4, len(points), 4):
        start = points[k, :2].copy()
        threshold = atol + rtol * np.abs(start)
        gap = gaps[k // 4 - 1]
        if gap == "huge":  # both finite, their difference is not: far apart
            points[k, 0], points[k - 1, 0] = 1.7e308, -1.7e308
            continue
        step = {
            "same": 0.0 * threshold,
            "atol": threshold,
            "below": np.nextafter(threshold, 0.0),
            "above": np.nextafter(threshold, np.inf),
            "far": threshold * 3 + 1,
        }[gap]
        points[k - 1, :2] = start + step * rng.choice([-1.0, 1.0], 2)
    if not np.all(np.isfinite(points)):
        return  # the camera draws such a path as one point; _subpaths never sees it
    v = VMobject(tolerance_for_point_equality=atol)
    with np.errstate(over="ignore"):  # the "huge" gaps: manim's subtraction overflows, as intended
        manims = v.get_subpath_split_indices_from_points(points, n_dims=2).tolist()
    ours = _subpaths(points[:, :2].ravel().tolist(), len(points), 4, atol)
    assert [list(r) for r in ours] == manims


def _speechlike(path: Path, seconds: float = 3.0, rate: int = 48000) -> np.ndarray:
    """A deterministic WAV with speech's kind of spectrum (a gliding voiced tone under noise bursts)."""
    import wave

    t = np.arange(int(seconds * rate)) / rate
    pitch = 2 * np.pi * np.cumsum(120 + 40 * np.sin(2 * np.pi * 0.7 * t)) / rate
    voiced = sum(np.sin(k * pitch) / k for k in range(1, 12)) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t) ** 2)
    noise = np.random.default_rng(0).normal(0, 0.05, t.size) * (np.sin(2 * np.pi * 1.3 * t) > 0.6)
    mono = (0.3 * voiced + noise).clip(-1, 1)
    pcm = (np.stack([mono, mono], axis=1) * 20000).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return mono


def _aac_packets(path: Path) -> list[bytes]:
    import av

    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(c.streams.audio[0]) if p.size]


def _encode_aac(source: Path, target: Path, coder: str) -> None:
    import av

    with av.open(str(source)) as i, av.open(str(target), "w") as o:
        out = o.add_stream("aac")
        out.options = {"aac_coder": coder}
        for frame in i.decode(i.streams.audio[0]):
            for packet in out.encode(frame):
                o.mux(packet)
        for packet in out.encode():
            o.mux(packet)


def test_a_segments_sound_is_encoded_with_the_fast_aac_coder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # manim's own convert_audio (twoloop) was about 25 CPU-s of a narrated course build; the child's
    # writes the packets FFmpeg's fast coder writes (the oracle: PyAV encoding the same WAV directly),
    # not the default coder's, and the sound decodes to the same length and waveform.
    import av
    from manim.scene import scene_file_writer

    from lecture.render.manim_child import SEGMENT_AAC_ENV, _convert_audio, install_fast_aac

    wav = tmp_path / "mix.wav"
    mono = _speechlike(wav)
    monkeypatch.setattr(scene_file_writer, "convert_audio", scene_file_writer.convert_audio)
    monkeypatch.setenv(SEGMENT_AAC_ENV, "manim")  # the benchmark's baseline: manim's own coder
    assert not install_fast_aac() and scene_file_writer.convert_audio is not _convert_audio
    monkeypatch.delenv(SEGMENT_AAC_ENV)
    assert install_fast_aac() and scene_file_writer.convert_audio is _convert_audio
    scene_file_writer.convert_audio(wav, tmp_path / "child.aac", "aac")
    _encode_aac(wav, tmp_path / "fast.aac", "fast")
    _encode_aac(wav, tmp_path / "twoloop.aac", "twoloop")
    child = _aac_packets(tmp_path / "child.aac")
    assert child == _aac_packets(tmp_path / "fast.aac")
    assert child != _aac_packets(tmp_path / "twoloop.aac")
    with av.open(str(tmp_path / "child.aac")) as c:
        decoded = np.concatenate([f.to_ndarray()[0] for f in c.decode(c.streams.audio[0])])
    start = 1024  # the encoder's priming
    heard = decoded[start : start + mono.size]
    assert heard.size == mono.size
    snr = 10 * np.log10(np.sum((0.61 * mono) ** 2) / np.sum((heard - 0.61 * mono) ** 2))
    assert snr > 15, snr  # 21.3 dB here: the perceptual coder does not keep the noise bursts' waveform
