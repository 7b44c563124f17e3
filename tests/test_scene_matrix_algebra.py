"""The matrix-algebra segment: its numbers are the history's, its layout fits, its render is a real video."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
from deep_histories import CONFIGS, history_path
from manim import MathTex, VGroup
from scene_checks import (
    SceneRun,
    assert_in_frame,
    check_captioned_video,
    check_pictures,
    check_stills,
    read_frames,
    read_srt,
    render_scene,
)

from nncore import History
from scenes.common.format import caption_number as _c
from scenes.common.layout_check import check_segment
from scenes.common.matrix import ValueMatrix
from scenes.common.narration import Narrated
from scenes.matrix_algebra import _align_columns, _fit_width
from scenes.matrix_algebra_numbers import SHOWN_POINTS, captions, matrix_numbers
from voice.pacing import MIN_BEAT_SECONDS, reading_time
from voice.spoken import caption_parts, caption_problems

FRAME_W, FRAME_H = 14.222, 8.0  # manim's frame in scene units (16:9)
BEATS = [
    "one_unit",
    "stack",
    "row_times_column",
    "shapes",
    "bias",
    "broadcast",
    "tanh",
    "output_layer",
    "sigmoid",
    "summary",
]


# --- the numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["a", "b"])
def test_numbers_are_the_historys(which: str, fixture_history_path: Path, fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_path if which == "a" else fixture_history_b_path)
    n = matrix_numbers(h)
    np.testing.assert_array_equal(n.W1, h.W1[0])
    np.testing.assert_array_equal(n.b1, h.b1[0])
    np.testing.assert_array_equal(n.W2, h.W2[0])
    np.testing.assert_array_equal(n.b2, h.b2[0])
    np.testing.assert_array_equal(n.b1_trained, h.b1[h.iterations])
    np.testing.assert_array_equal(n.X, h.X)
    # The forward pass, written out independently of nncore.model.
    Z1 = h.W1[0] @ h.X + h.b1[0]
    A1 = np.tanh(Z1)
    Z2 = h.W2[0] @ A1 + h.b2[0]
    np.testing.assert_allclose(n.Z1, Z1, rtol=1e-12)
    np.testing.assert_allclose(n.A1, A1, rtol=1e-12)
    np.testing.assert_allclose(n.Z2, Z2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(n.A2, 1 / (1 + np.exp(-Z2)), rtol=1e-12)
    assert (n.n_h, n.n_x, n.m, n.iterations) == (h.hidden_units, 2, h.m, h.iterations)
    # The worked entry is unit 2 and point 2; tanh is shown where the drawn |Z1| is largest.
    assert n.entry == (1, 1)
    drawn = np.abs(Z1[:, :SHOWN_POINTS])
    assert drawn[n.tanh_entry] == drawn.max()
    # The course's initialisation: biases exactly zero, weights ~0.01, so the network guesses.
    assert np.all(n.b1 == 0) and np.all(n.b2 == 0)
    assert n.linear_tanh and n.guessing and n.guess_spread == pytest.approx(np.abs(n.A2 - 0.5).max())
    # The facts the captions and the picture share.
    assert n.b1_zero and n.shown == SHOWN_POINTS and n.drawn_columns == SHOWN_POINTS + 1
    assert n.unit_z == pytest.approx(h.W1[0][0] @ h.X[:, 0]) and n.unit_bias == 0
    assert n.entry_value == pytest.approx(h.W1[0][1] @ h.X[:, 1])
    assert n.tanh_pair == pytest.approx((Z1[n.tanh_entry], A1[n.tanh_entry]))
    np.testing.assert_allclose(n.W1X, Z1, rtol=1e-12)
    assert n.prediction_range == (n.A2.min(), n.A2.max())
    assert n.output_weight_max == np.abs(h.W2[0]).max()
    assert n.trained_bias_range == (h.b1[h.iterations].min(), h.b1[h.iterations].max())


def test_captions_narrate_every_beat_with_its_numbers(fixture_history: History) -> None:
    h = fixture_history
    n = matrix_numbers(h)
    cap = captions(n)
    assert list(cap) == BEATS
    # Rounded to be heard: the weights to two digits, z (about -0.007) to one, the rest to three.
    w, x = h.W1[0][0], h.X[:, 0]
    assert f"w = ({_c(w[0], 2)}, {_c(w[1], 2)})" in cap["one_unit"]
    assert f"x = ({_c(x[0])}, {_c(x[1])})" in cap["one_unit"]
    assert f": z ≈ {_c(w @ x, 1)}." in cap["one_unit"] and "b = 0," in cap["one_unit"]
    assert f"column 1 is our {_c(w @ x, 1)}," in cap["row_times_column"]
    assert f"gives {_c(h.W1[0][1] @ h.X[:, 1], 2)}." in cap["row_times_column"]
    assert f"({h.hidden_units} × 2) times (2 × {h.m})" in cap["shapes"]
    assert "exactly 0" in cap["bias"]
    # The trained bias by its range (the picture shows every entry).
    b1 = h.b1[-1][:, 0]
    assert f"its entries run from {_c(b1.min())} to {_c(b1.max())}" in cap["broadcast"]
    assert f"iteration {h.iterations}" in cap["broadcast"]
    ti, tj = n.tanh_entry
    assert f"tanh({_c(n.Z1[ti, tj])}) ≈ {_c(np.tanh(n.Z1[ti, tj]))}" in cap["tanh"]
    assert f"The largest |W2| is {_c(np.abs(h.W2[0]).max())}." in cap["output_layer"]
    # "within" is a bound: rounded up, so it holds for every one of the m predictions.
    bound = _c(n.guess_spread, 1, bound="up")
    assert f"All {h.m} lie within {bound} of 0.5" in cap["sigmoid"]
    assert float(bound) >= np.abs(n.A2 - 0.5).max() and "guessing" in cap["sigmoid"]
    assert not re.search(r"(?<!\d)-\d", "".join(cap.values()))  # typographic minus signs, as in the other segments
    # Each caption is a spoken line (tests/test_speech.py checks every segment on more runs).
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}


def test_captions_stay_honest_about_nonzero_biases(fixture_history: History) -> None:
    # A history whose initial biases are not zero must not be narrated as "exactly 0".
    h = fixture_history
    b1 = h.b1.copy()
    b1[0] = np.array([[0.5], [-0.25], [0.125]])
    cap = captions(matrix_numbers(dataclasses.replace(h, b1=b1)))
    assert "exactly 0" not in cap["bias"]
    assert "(0.500, −0.250, 0.125)" in cap["bias"]
    assert "b = 0.500" in cap["one_unit"]


def test_captions_follow_the_numbers_claims(fixture_history: History) -> None:
    # Large initial weights: tanh bends and the network no longer guesses; the narration says so.
    h = fixture_history
    W1, W2 = h.W1.copy(), h.W2.copy()
    W1[0], W2[0] = 300 * W1[0], 300 * W2[0]
    n = matrix_numbers(dataclasses.replace(h, W1=W1, W2=W2))
    cap = captions(n)
    assert not n.linear_tanh and not n.guessing
    assert "squashing it between −1 and 1" in cap["tanh"] and "≈" not in cap["tanh"]
    low, high = n.prediction_range
    assert f"They range from {_c(low)} to {_c(high)}." in cap["sigmoid"] and "guessing" not in cap["sigmoid"]


def test_x_columns_line_up_with_the_products(fixture_history: History) -> None:
    h = fixture_history
    n = matrix_numbers(h)
    X = ValueMatrix(h.X, max_cols=SHOWN_POINTS + 1)
    WX = ValueMatrix(n.W1 @ h.X, max_cols=SHOWN_POINTS + 1).shift(2 * np.array([1.0, -1.0, 0.0]))
    _align_columns(X, WX)
    for col, ref in zip(X.matrix.get_columns(), WX.matrix.get_columns(), strict=True):
        assert col.get_x() == pytest.approx(ref.get_x(), abs=1e-9)
    left, right = X.matrix.get_brackets()
    entries = X.matrix.get_entries()
    assert left.get_right()[0] < entries.get_left()[0] and entries.get_right()[0] < right.get_left()[0]
    assert X.shape_tex.get_x() == pytest.approx(X.matrix.get_x())


def test_fit_width_centres_and_shrinks() -> None:
    wide = VGroup(*[MathTex(r"\text{wide}") for _ in range(20)]).arrange(buff=0.5).shift(3 * np.array([1, 0, 0]))
    assert wide.width > 13.2
    _fit_width(wide)
    assert wide.width == pytest.approx(13.2) and wide.get_x() == pytest.approx(0.0, abs=1e-9)
    narrow = MathTex("x").shift(np.array([2.0, 1.0, 0.0]))
    width = narrow.width
    _fit_width(narrow)
    assert narrow.width == pytest.approx(width) and narrow.get_y() == pytest.approx(1.0)


class _FakeScene(Narrated):
    """Just what :meth:`Narrated.beat` uses of a scene: time, sections, waits and subcaptions."""

    def __init__(self) -> None:
        self.time = 0.0
        self.sections: list[str] = []
        self.subcaptions: list[tuple[str, float, float]] = []

    def next_section(self, name: str) -> None:
        self.sections.append(name)

    def wait(self, seconds: float) -> None:
        self.time += seconds

    def add_subcaption(self, content: str, duration: float, offset: float) -> None:
        self.subcaptions.append((content, self.time + offset, duration))


def test_beat_marks_a_section_and_keeps_the_caption_up_long_enough() -> None:
    scene = _FakeScene()
    long_caption = "x" * 300
    with scene.beat("first", long_caption):
        scene.time += 2.0  # the beat's animations take 2 s, too short to read 300 characters
    with scene.beat("second", "short"):
        scene.time += 7.5
    assert scene.sections == ["first", "second"]
    (c1, start1, d1), (c2, start2, d2) = scene.subcaptions
    assert (c1, start1, d1) == (long_caption, 0.0, pytest.approx(reading_time(long_caption)))
    assert reading_time(long_caption) == pytest.approx(20.0)
    # The caption spans the whole beat, which lasted as long as its animations when that is enough.
    assert (c2, start2, d2) == ("short", pytest.approx(20.0), pytest.approx(7.5))
    assert reading_time("short") == MIN_BEAT_SECONDS


# --- the renders ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders, so the second reuses the first's typeset TeX."""
    return tmp_path_factory.mktemp("matrix_algebra_media")


@pytest.fixture(scope="module")
def video_a(fixture_history_path: Path, media: Path) -> Path:
    run = render_scene(
        "scenes/matrix_algebra.py", "MatrixAlgebra", media, "MatrixAlgebra_a", {"NN_HISTORY": str(fixture_history_path)}
    )
    return run.mp4


@pytest.fixture(scope="module")
def run_b(fixture_history_b_path: Path, media: Path) -> SceneRun:
    """History b played without animations (``-s``): its captions, times and layout at every beat's end."""
    env = {"NN_HISTORY": str(fixture_history_b_path)}
    return render_scene("scenes/matrix_algebra.py", "MatrixAlgebra", media, "MatrixAlgebra_b", env, still=True)


@pytest.mark.render
def test_render_is_a_real_video_with_captions_and_sections(video_a: Path, fixture_history_path: Path) -> None:
    h = History.load(fixture_history_path)
    # Exactly the narration computed from the history, one caption per beat, back to back, 60-150 s;
    # a frame near the end of each beat is not blank (matrices and formulas are drawn) on a black background.
    frames = check_captioned_video(video_a, list(captions(matrix_numbers(h)).values()), min_lit=0.01, max_mean=80)
    entries = read_srt(video_a)
    assert all(end - start >= min(len(text) / 16, 60) for start, end, text in entries)  # long enough to read
    assert entries[-1][1] <= read_frames(video_a, [])[0] + 0.1
    # Every beat looks different from the one before.
    assert min(np.abs(a - b).mean() for a, b in zip(frames, frames[1:], strict=False)) > 0.5

    sections = json.loads((video_a.parent / "sections" / f"{video_a.stem}.json").read_text())
    assert [s["name"] for s in sections] == BEATS


@pytest.mark.render
def test_two_histories_give_two_narrations(
    video_a: Path, run_b: SceneRun, fixture_history_path: Path, fixture_history_b_path: Path
) -> None:
    texts = {}
    said = {"a": [e[2] for e in read_srt(video_a)], "b": run_b.captions}
    durations = {"a": read_frames(video_a, [])[0], "b": run_b.duration}
    for key, path in (("a", fixture_history_path), ("b", fixture_history_b_path)):
        h = History.load(path)
        text = "\n".join(said[key])
        # The history's own values are narrated: initial weights, the worked entry, the trained bias.
        w = h.W1[0][0]
        for expected in (
            f"w = ({_c(w[0], 2)}, {_c(w[1], 2)})",
            f"gives {_c(h.W1[0][1] @ h.X[:, 1], 2)}.",
            f"from {_c(h.b1[-1].min())} to {_c(h.b1[-1].max())}",
            f"({h.hidden_units} × 2) times (2 × {h.m})",
        ):
            assert expected in text, (key, expected)
        texts[key] = text
        assert 60.0 <= durations[key] <= 150.0
    assert texts["a"] != texts["b"]
    numbers = {k: set(re.findall(r"−?\d+\.\d+", t)) for k, t in texts.items()}
    # Not just the wording: the numbers differ.
    assert numbers["a"] - numbers["b"] and numbers["b"] - numbers["a"]


@pytest.mark.render
def test_every_beat_stays_in_frame(run_b: SceneRun) -> None:
    # The bounding box of every visible piece on screen at the end of every beat, recorded while
    # the scene ran. History b has the more hidden units (taller matrices, more table rows): the harder layout.
    assert list(run_b.pieces) == BEATS
    assert_in_frame(run_b.pieces)


@pytest.mark.render
def test_key_frames_match_the_reference_stills(video_a: Path) -> None:
    # Just before the end of three beats: one unit worked out, broadcasting, the four lines.
    ends = {name: end - 0.4 for name, (_, end, _) in zip(BEATS, read_srt(video_a), strict=True)}
    check_stills(video_a, "matrix_algebra", {k: ends[k] for k in ("one_unit", "broadcast", "summary")})


# --- deeper networks: the course's He run and the mini-batch Adam run with a feature cross -------


@pytest.fixture(scope="module", params=list(CONFIGS))
def deep(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return request.param, history_path(tmp_path_factory, request.param)


def test_deep_numbers_are_every_layers(deep: tuple[str, Path]) -> None:
    _, path = deep
    h = History.load(path)
    n = matrix_numbers(h)
    L = h.layers
    assert n.layers == L == 3 and n.sizes == h.sizes and n.n_last == h.sizes[-2]
    # The first layer's and the output layer's real initial values.
    np.testing.assert_array_equal(n.W1, h.W1[0])
    np.testing.assert_array_equal(n.b1, h.b1[0])
    np.testing.assert_array_equal(n.W2, h.arrays[f"W{L}"][0])
    np.testing.assert_array_equal(n.b2, h.arrays[f"b{L}"][0])
    # The forward pass by hand, ReLU between the layers (no nncore).
    A = h.X
    for l in range(1, L + 1):
        Z = h.arrays[f"W{l}"][0] @ A + h.arrays[f"b{l}"][0]
        if l == 1:
            np.testing.assert_allclose(n.Z1, Z, rtol=1e-12, atol=1e-15)
        if l == L:
            np.testing.assert_allclose(n.W2A1 + n.b2, Z, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(n.A2, 1 / (1 + np.exp(-Z)), rtol=1e-12)
        else:
            A = np.maximum(Z, 0.0)
            if l == L - 1:
                np.testing.assert_allclose(n.A_last, A, rtol=1e-12, atol=1e-15)
    # Every weight and bias counted from the shapes.
    assert n.parameter_count == sum(h.arrays[f"W{l}"][0].size + h.arrays[f"b{l}"][0].size for l in range(1, L + 1))
    # The activation's example is where ReLU bends: the most negative drawn entry, if there is one.
    z, a = n.tanh_pair
    assert a == max(z, 0.0) and (z < 0) == bool(np.any(n.Z1[:5, : n.shown] < 0))


def test_deep_captions_name_every_layer(deep: tuple[str, Path]) -> None:
    name, path = deep
    h = History.load(path)
    n = matrix_numbers(h)
    cap = captions(n)
    assert list(cap) == [*BEATS[:7], "layers", *BEATS[7:]]
    n1, n2 = h.sizes[1], h.sizes[2]
    assert f"W2 is {n2} × {n1}, from the {n1} values of layer 1" in cap["layers"]
    assert f"{n.parameter_count} weights and biases in all" in cap["layers"]
    assert f"W3 (1 × {n2}) times A2 ({n2} × {h.m})" in cap["output_layer"] and "gives Z3" in cap["output_layer"]
    assert cap["tanh"].startswith("A1 = ReLU(Z1) acts on each entry separately")
    assert "6 in all for its 3 layers" in cap["summary"]
    if name == "moons":
        assert "each column a point's inputs x1, x2 and x1 times x2;" in cap["stack"]
        assert f"from epoch {h.iterations}" in cap["broadcast"]
    assert "tanh" not in " ".join(cap.values())
    assert {k: caption_problems(p) for k, c in cap.items() for p in caption_parts(c) if caption_problems(p)} == {}


def test_deep_layout_check(deep: tuple[str, Path]) -> None:
    _, path = deep
    check = check_segment("scenes/matrix_algebra.py", "MatrixAlgebra", {"NN_HISTORY": str(path)})
    assert check.problems == []
    assert "layers" in check.beats


@pytest.fixture(scope="module")
def run_deep(tmp_path_factory: pytest.TempPathFactory, media: Path) -> SceneRun:
    """The course's He run ([2, 10, 5, 1], ReLU) played without animations: its pictures at every beat's end."""
    env = {"NN_HISTORY": str(history_path(tmp_path_factory, "deep"))}
    return render_scene("scenes/matrix_algebra.py", "MatrixAlgebra", media, "MatrixAlgebra_deep", env, still=True)


@pytest.mark.render
def test_deep_key_frames_match_the_reference_stills(run_deep: SceneRun) -> None:
    # ReLU entry by entry, every layer's shapes, the output layer's real W3 and A2.
    beats = ("tanh", "layers", "output_layer")
    check_pictures(
        {b: run_deep.beat_end(b) for b in beats}, "matrix_algebra_deep", {b: f"the end of {b}" for b in beats}
    )
