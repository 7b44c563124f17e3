"""The decision-boundary segment and its shared pieces: rasters are the network's predictions, the
clock samples sensibly, the narration is the history's, the render is a real captioned video."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from manim import Camera, ImageMobject, MathTex, Scene, VGroup, tempconfig
from manim.utils.color import ParsableManimColor
from scene_checks import (
    SceneRun,
    assert_in_frame_without_overlaps,
    check_captioned_video,
    check_stills,
    read_frames,
    read_srt,
    red_blue_share,
    render_scene,
)

from nncore import History, TrainConfig, train
from nncore.model import Params, predict, predict_grid
from scenes.common.clock import IterationClock, early_seconds, milestone_iteration, passes_faster, sample_iterations
from scenes.common.colors import probability_rgb, value_rgb
from scenes.common.curves import CostCurves
from scenes.common.field import BoundaryField, data_extent, top_units
from scenes.common.format import caption_number, caption_percent, cost_text, fmt, percent_text
from scenes.common.network import NetworkDiagram
from scenes.common.numbers import GlyphNumber, HistoryNumber, IterationReadout
from scenes.common.palette import CLASS_0, CLASS_1, HIGHLIGHT, value_color
from scenes.common.panels import BoundaryPanel
from scenes.common.raster import RasterCamera
from scenes.decision_boundary import (
    MAX_UNITS,
    MILESTONE_DROP,
    boundary_numbers,
    captions,
    training_schedule,
)
from voice.spoken import caption_problems

SCENE = "scenes/decision_boundary.py"
BEATS = ["picture", "before", "early", "late", "result", "units", "sum"]


def _rgb255(color: ParsableManimColor) -> np.ndarray:
    from manim import ManimColor

    return np.array(ManimColor(color).to_rgb()) * 255


# --- the field ------------------------------------------------------------------------------------


def test_raster_is_predict_grid_through_the_palette(fixture_history: History) -> None:
    h = fixture_history
    field = BoundaryField(h, 64, 48)
    e = field.extent
    assert e.xmin < h.X[0].min() and e.xmax > h.X[0].max() and e.ymin < h.X[1].min() and e.ymax > h.X[1].max()
    assert e.aspect == pytest.approx(64 / 48)
    for i in (0, h.iterations // 2, h.iterations):
        p = predict_grid(h.params(i), field.xs, field.ys)  # (48, 64), row 0 at the top
        np.testing.assert_allclose(field.probabilities(i), p, rtol=0, atol=1e-12)
        raster = field.raster(i, points=False, contour=False, misclassified=False)
        assert raster.shape == (48, 64, 3) and raster.dtype == np.uint8
        # A 4096-entry colour table over the logit: within one colour level of the palette.
        assert np.abs(raster.astype(int) - probability_rgb(p).astype(int)).max() <= 1
    assert field.ys[0] > field.ys[-1]  # the picture is upright


def test_misclassified_points_are_the_historys(fixture_history: History) -> None:
    h = fixture_history
    field = BoundaryField(h, 32, 32)
    for i in (0, 7, h.iterations):
        wrong = field.misclassified(i)
        expected = predict(h.X, h.params(i))[0] != h.Y[0]
        np.testing.assert_array_equal(wrong, expected)
        assert 1 - wrong.mean() == pytest.approx(h.accuracy[i])


def test_points_rings_and_contour_are_drawn_where_they_belong(fixture_history: History) -> None:
    h = fixture_history
    T = h.iterations
    field = BoundaryField(h, 600, 600, point_radius_px=3.0, line_width_px=1.5)
    bare = field.raster(T, points=False, contour=False, misclassified=False).astype(float)
    full = field.raster(T).astype(float)
    cols, rows = field.to_pixels(h.X)
    wrong = field.misclassified(T)
    # Isolated points (no other point within 12 px) show their class colour at their centre and,
    # if misclassified, the ring colour on the ring.
    d = np.hypot(cols[:, None] - cols[None, :], rows[:, None] - rows[None, :]) + np.eye(h.m) * 1e9
    isolated = np.flatnonzero(d.min(axis=1) > 12)
    assert isolated.size > 10
    ring_checked = 0
    for k in isolated:
        c, r = int(cols[k]), int(rows[k])
        want = _rgb255(CLASS_1 if h.Y[0, k] > 0.5 else CLASS_0)
        assert np.abs(full[r, c] - want).max() < 40, (k, full[r, c], want)
        ring_px = full[r, int(round(cols[k] - 0.5 + field.point_radius_px * 1.9))]
        if wrong[k]:
            assert np.abs(ring_px - _rgb255(HIGHLIGHT)).max() < 60
            ring_checked += 1
    assert ring_checked > 0
    # The contour: every pixel it covers lies within the line's half width of the p = 0.5 level set
    # (measured with the probability's own gradient), and every sign change of z is covered.
    z = field.logits(h.params(T))
    p = 1 / (1 + np.exp(-z))
    alpha = field.contour_alpha(z)
    on = alpha > 0
    assert on.any()
    gy, gx = np.gradient(p)
    reach = field.line_width_px / 2 + 0.5
    assert np.all(np.abs(p[on] - 0.5) <= 1.05 * reach * np.hypot(gx, gy)[on] + 1e-12)
    flips = np.sign(z[:, 1:]) != np.sign(z[:, :-1])
    assert np.all(on[:, 1:][flips] | on[:, :-1][flips])
    # Only the overlays change the picture.
    changed = np.abs(full - bare).max(axis=2) > 0
    assert changed.mean() < 0.3 and changed.any()


def test_value_rgb_is_value_color_vectorised() -> None:
    values = np.array([[-2.0, -0.5, -1e-9, 0.0, 0.3, 1.0, 5.0]])
    rgb = value_rgb(values, 1.0)
    for j, v in enumerate(values[0]):
        assert np.abs(rgb[0, j].astype(float) - _rgb255(value_color(v, 1.0))).max() <= 1.0


def test_data_extent_has_the_asked_shape() -> None:
    X = np.array([[0.0, 4.0, 2.0], [1.0, 2.0, 1.5]])
    e = data_extent(X, aspect=1.0, margin=0.1)
    assert e.aspect == pytest.approx(1.0)
    assert e.xmin < 0 and e.xmax > 4 and e.ymin < 1 and e.ymax > 2
    wide = data_extent(X, aspect=3.0)
    assert wide.aspect == pytest.approx(3.0)


# --- sampling and the clock -----------------------------------------------------------------------


@pytest.mark.parametrize(("T", "n"), [(1, 2), (60, 541), (80, 20), (10000, 541), (100000, 901)])
def test_sample_iterations_is_monotone_from_0_to_T(T: int, n: int) -> None:
    cost = 0.2 + 0.5 * np.exp(-np.arange(T + 1) / max(T / 50, 1))
    for c in (None, cost):
        s = sample_iterations(T, n, c)
        assert s[0] == 0 and s[-1] == T
        assert np.all(np.diff(s) > 0) and len(s) <= min(n, T + 1)
        if T + 1 <= n // 2:
            assert len(s) == T + 1  # a short run: every iteration


def test_sampling_gives_the_early_iterations_screen_time() -> None:
    T, n = 10000, 541
    cost = 0.2 + 0.5 * np.exp(-np.arange(T + 1) / 150)
    for c in (None, cost):
        s = sample_iterations(T, n, c)
        gaps = np.diff(s)
        half = len(gaps) // 2
        assert gaps[:half].mean() * 10 < gaps[half:].mean()
        assert set(range(20)) <= set(s.tolist())  # the first iterations, one by one
        assert np.count_nonzero(s <= 1000) > len(s) / 2  # more than half the frames in the first 10 %
        # Sparse samples keep T's parity (no flicker between the two states of an oscillation).
        sparse = s[1:][gaps >= 2]
        assert np.all(sparse % 2 == T % 2)
    # Where the cost falls fastest, the cost-aware schedule is denser than the log one.
    log, aware = sample_iterations(T, n), sample_iterations(T, n, cost)
    assert np.count_nonzero((aware > 50) & (aware < 500)) > np.count_nonzero((log > 50) & (log < 500))


def test_clock_maps_positions_to_scheduled_iterations() -> None:
    clock = IterationClock([0, 1, 2, 5, 10])
    assert clock.iteration == 0
    clock.set_iteration(7)
    assert clock.iteration == 5 and clock.index_of(10) == 4 and clock.steps_between(1, 10) == 3
    clock.tracker.set_value(3.4)
    assert clock.iteration == 5
    with pytest.raises(ValueError):
        IterationClock([0, 3, 3])


def test_driving_restacks_the_scene_then_restores_it(fixture_history: History) -> None:
    h = fixture_history
    with tempconfig({"quality": "low_quality"}):
        scene = Scene()
        panel = BoundaryPanel(h, 3.0)
        readout = IterationReadout(h)
        curve = CostCurves.single(h, 4.0, 2.0)
        scene.add(panel, readout, curve)
        before = list(scene.mobjects)
        clock = IterationClock(np.arange(h.iterations + 1))
        clock.set_iteration(10)
        with clock.driving(scene, panel, readout, curve):
            mobs = scene.mobjects
            moving = [panel.image, *[n.body for n in readout.numbers], curve.curve, curve.tip]
            # The changing parts come last, and nothing before them changes.
            assert mobs[-len(moving) :] == moving
            assert all(not m.updaters for m in mobs[: -len(moving)])
            assert panel.border in mobs and readout.labels in mobs and curve.axes in mobs
            assert all(m.updaters for m in moving)
            assert panel.iteration == readout.iteration == curve.iteration == 10
            clock.tracker.set_value(clock.index_of(30))
            for m in moving:
                m.update(0)
            assert panel.iteration == readout.iteration == curve.iteration == 30
        assert scene.mobjects == before
        assert not any(m.updaters for top in scene.mobjects for m in top.get_family())
        assert readout.numbers[0].text == "30"


# --- the views ------------------------------------------------------------------------------------


def test_panel_raster_has_one_pixel_per_output_pixel(fixture_history: History) -> None:
    h = fixture_history
    for pixel_height in (480, 1080):
        panel = BoundaryPanel(h, 4.0, pixel_height=pixel_height)
        rows = panel.image.pixel_array.shape[0]
        assert rows == round(4.0 * pixel_height / 8.0)
        assert panel.image.height == pytest.approx(4.0, abs=8.0 / pixel_height)
    panel.set_iteration(h.iterations)
    np.testing.assert_array_equal(panel.image.pixel_array[:, :, :3], panel.field.raster(h.iterations))
    assert panel.image.pixel_array[:, :, 3].min() == 255
    # A point's data coordinates land inside the image at the right place.
    x = h.X[:, 0]
    pt = panel.data_to_point(x)
    c, r = panel.field.to_pixels(x[:, None])[:, 0]
    corner = panel.image.get_corner(np.array([-1.0, 1.0, 0.0]))
    assert pt[0] == pytest.approx(corner[0] + c / panel.field.width_px * panel.image.width)
    assert pt[1] == pytest.approx(corner[1] - r / panel.field.height_px * panel.image.height)


def test_raster_camera_pastes_what_the_stock_camera_draws(fixture_history: History) -> None:
    with tempconfig({"quality": "low_quality"}):
        panel = BoundaryPanel(fixture_history, 3.0, iteration=fixture_history.iterations)
        panel.image.shift(np.array([1.3, -0.7, 0.0]))
        fast, slow = RasterCamera(), Camera()
        fast.capture_mobjects([panel.image])
        slow.capture_mobjects([panel.image])
        a, b = fast.pixel_array.astype(float), slow.pixel_array.astype(float)
        assert np.abs(a - b).mean() < 2.0  # the same picture (resampling and half-pixel rounding aside)
        # The image landed where it should: the frame outside the image is untouched.
        lit = np.argwhere(a[..., :3].max(axis=2) > 0)
        (r0, c0), (r1, c1) = lit.min(axis=0), lit.max(axis=0)
        assert abs((r1 - r0 + 1) - panel.image.pixel_array.shape[0]) <= 1
        assert abs((c1 - c0 + 1) - panel.image.pixel_array.shape[1]) <= 1
        # A half-transparent image is blended, not pasted.
        faded = ImageMobject(panel.image.pixel_array.copy(), scale_to_resolution=480).move_to(panel.image)
        faded.set_opacity(0.5)
        half = RasterCamera()
        half.capture_mobjects([faded])
        inside = half.pixel_array[r0 + 5 : r1 - 5, c0 + 5 : c1 - 5, :3].astype(float)
        assert np.abs(inside - a[r0 + 5 : r1 - 5, c0 + 5 : c1 - 5, :3] / 2).max() <= 2


def test_slot_number_relays_its_glyphs_in_place() -> None:
    number = GlyphNumber("7", font_size=30)
    number.set_anchor([2.0, -1.0])
    right = number.body.get_right()[0]
    number.set_text("90.75%")
    assert number.body.get_right()[0] == pytest.approx(right, abs=0.05)  # right-aligned: the end stays
    wide = number.body.width
    number.set_text("5")
    assert number.body.width < wide / 3
    number.shift(np.array([1.0, 0.0, 0.0]))
    number.set_text("123")
    assert number.body.get_right()[0] == pytest.approx(right + 1.0, abs=0.05)  # moving moves the anchor
    with pytest.raises(ValueError):
        number.set_text("1e")
    with pytest.raises(ValueError):
        number.set_text("12a")


def test_glyph_number_draws_any_number_the_formatters_write() -> None:
    # What a readout may have to show for some run: tiny, huge and infinite costs, long weights.
    number = GlyphNumber("0", font_size=30, align="left")
    em = number.em
    for value in (0.0, -0.0001734, 3.1e-5, -4.54e-5, 12345.6, 1.234e8, -1e-300, 1e300, float("inf"), float("-inf")):
        for text in (fmt(value), cost_text(abs(value))):
            number.set_text(text)
            assert number.body.width <= number.width_of(text) + 1e-9, text  # the width a layout reserves
            assert number.body.get_left()[0] >= -1e-9
    # A power of ten is drawn as TeX sets it: as wide as the typeset formula, its exponent raised.
    number.set_text("-1.5e-5")
    tex = MathTex(r"{-}1.5\times 10^{-5}", font_size=30)
    assert number.body.width == pytest.approx(tex.width, abs=0.05 * em)
    assert number.body.height == pytest.approx(tex.height, abs=0.05 * em)
    number.set_text("inf")
    assert number.body.width == pytest.approx(MathTex(r"\infty", font_size=30).width, abs=0.05 * em)


def test_readout_and_curve_show_the_iteration(fixture_history: History) -> None:
    h = fixture_history
    i = h.iterations // 3
    readout = IterationReadout(h, i)
    assert [n.text for n in readout.numbers] == [str(i), cost_text(h.cost[i]), percent_text(h.accuracy[i])]
    curve = CostCurves.single(h, 4.0, 2.0, iteration=i)
    curve.shift(np.array([2.0, 1.0, 0.0]))  # the curve follows its axes when they move
    curve.set_iteration(i + 1)
    tip = curve.curve.points[-1]
    np.testing.assert_allclose(tip, curve.axes.c2p(np.log10(i + 2), h.cost[i + 1]), atol=1e-9)
    np.testing.assert_allclose(curve.curve.points[0], curve.axes.c2p(0, h.cost[0]), atol=1e-9)
    np.testing.assert_allclose(curve.tip.get_center(), tip, atol=1e-9)


def test_an_astronomical_cost_is_drawn_on_an_axis_counting_in_its_power_of_ten(fixture_history: History) -> None:
    # a wild run's finite cost can reach 10^153 (a huge rate under L2): manim's axes lose their
    # length from about 10^12, so the axis counts in 10^153 and says so
    h = copy.copy(fixture_history)
    h.cost = fixture_history.cost * 1e153
    curve = CostCurves.single(h, 4.0, 2.0, iteration=h.iterations)
    assert curve.power == 152 and "10^{152}" in curve.y_label.tex_string  # a top of 7 x 10^152 (0.69 x 10^153)
    assert curve.axes.y_axis.height == pytest.approx(2.0, abs=1e-6)  # not collapsed to a point
    labels = [str(m.tex_string) for m in curve.tick_labels if m.get_center()[0] < curve.axes.get_left()[0]]
    assert labels and all("e+" not in t and float(t) <= 10 for t in labels)
    top = curve.axes.y_axis.get_top()[1]
    for i in (0, h.iterations):  # the curve's points at the costs' height on that axis
        y = curve.point_of(0, i)[1] - curve.axes.c2p(0, 0)[1]
        assert y == pytest.approx(h.cost[i] / curve.y_max * (top - curve.axes.c2p(0, 0)[1]), rel=1e-6)


def test_views_share_a_clock_across_runs_of_different_lengths(
    fixture_history: History, fixture_history_b_path: Path
) -> None:
    short, long = fixture_history, History.load(fixture_history_b_path)
    assert short.iterations < long.iterations
    with tempconfig({"quality": "low_quality"}):
        scene = Scene()
        panels = BoundaryPanel(short, 2.0), BoundaryPanel(long, 2.0)
        views: list[Any] = [panels[0], HistoryNumber(short, "accuracy"), panels[1]]
        cost = HistoryNumber(long, "cost", font_size=20)
        scene.add(*views, cost)
        clock = IterationClock(np.arange(long.iterations + 1))
        clock.set_iteration(long.iterations)
        with clock.driving(scene, *views, cost):
            pass
    assert views[0].iteration == views[1].iteration == short.iterations  # clamped to its own run
    assert views[2].iteration == cost.iteration == long.iterations
    assert views[1].text == percent_text(short.accuracy[-1]) and cost.text == cost_text(long.cost[-1])
    np.testing.assert_array_equal(views[0].image.pixel_array[:, :, :3], views[0].field.raster(short.iterations))
    with pytest.raises(ValueError):
        HistoryNumber(short, "loss")


def test_top_units_and_decomposition_sum(fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_b_path)
    T = h.iterations
    W2 = h.W2[T]
    order = top_units(W2, 3)
    assert list(np.abs(W2[0, order])) == sorted(np.abs(W2[0]), reverse=True)[:3]
    # The decomposition's terms add up to the network's logit.
    field = BoundaryField(h, 40, 40, point_radius_px=0)
    a = field.hidden(h.params(T))
    z = h.b2[T][0, 0] + sum(W2[0, u] * a[u] for u in range(h.hidden_units))
    np.testing.assert_allclose(z, field.logits(h.params(T)), atol=1e-12)


def test_logits_unit_by_unit_are_the_same_bits_as_the_whole_block(fixture_history: History) -> None:
    """``logits`` goes one unit at a time (for speed); its bits are the sum over ``hidden``'s block.

    With 100 units, weights that saturate tanh and both dtypes the scenes use, the field is the
    same to the last bit as ``b2 + sum_u W2[u] * hidden[u]`` added in unit order, so no default
    frame changed with the faster loop.
    """
    rng = np.random.default_rng(7)
    field = BoundaryField(fixture_history, 61, 47, point_radius_px=0)
    for n_h, scale in ((4, 1.0), (100, 1.0), (100, 30.0)):
        params = Params(
            W1=rng.normal(scale=scale, size=(n_h, 2)),
            b1=rng.normal(scale=scale, size=(n_h, 1)),
            W2=rng.normal(scale=scale, size=(1, n_h)),
            b2=rng.normal(size=(1, 1)),
        )
        for dtype in (np.float32, np.float64):
            block = field.hidden(params, dtype)
            expected = np.full(block.shape[1:], params.b2[0, 0], dtype=dtype)
            for u, w in enumerate(params.W2[0]):
                expected += block[u] * dtype(w)
            got = field.logits(params, dtype)
            assert got.dtype == dtype
            assert np.array_equal(got, expected), (n_h, scale, dtype)


# --- the segment's numbers and narration ----------------------------------------------------------


@pytest.mark.parametrize("which", ["a", "b"])
def test_numbers_and_captions_are_the_historys(
    which: str, fixture_history_path: Path, fixture_history_b_path: Path
) -> None:
    h = History.load(fixture_history_path if which == "a" else fixture_history_b_path)
    sched = training_schedule(h, 15)
    n = boundary_numbers(h, sched)
    T = h.iterations
    assert (n.T, n.m, n.n_h) == (T, h.m, h.hidden_units)
    assert n.milestone in sched and 0 < n.milestone < T
    assert n.cost_m == h.cost[n.milestone] and n.costT == h.cost[T] and n.accT == h.accuracy[T]
    assert n.wrongT == int((predict(h.X, h.params(T))[0] != h.Y[0]).sum())
    assert n.every_iteration  # the fixtures are short: every iteration is shown
    assert n.early_seconds + n.late_seconds == pytest.approx(36.0)
    cap = captions(n)
    assert list(cap) == BEATS
    assert f"the cost is {caption_number(h.cost[T])} and the accuracy {caption_percent(h.accuracy[T])}" in cap["result"]
    assert f"cost {caption_number(h.cost[0])}, accuracy {caption_percent(h.accuracy[0])}" in cap["before"]
    # "at most" and "within" are bounds, rounded up: they hold for every weight and every point.
    w_max = max(np.abs(h.W1[0]).max(), np.abs(h.W2[0]).max())
    spread = np.abs(1 / (1 + np.exp(-(h.W2[0] @ np.tanh(h.W1[0] @ h.X + h.b1[0]) + h.b2[0]))) - 0.5).max()
    said_w, said_spread = caption_number(w_max, 2, bound="up"), caption_number(spread, 1, bound="up")
    assert f"every weight is at most {said_w} in size" in cap["before"] and float(said_w) >= w_max
    assert f"the output is within {said_spread} of 0.5 at every point" in cap["before"]
    assert float(said_spread) >= spread
    assert f"learning rate {h.config.learning_rate:g}" in cap["early"]
    assert "faster" not in cap["late"]  # every iteration is shown: nothing passes faster
    # The output weights: the largest in size, named with its unit (the running sum shows them all).
    top = int(np.argmax(np.abs(h.W2[T][0])))
    assert n.shown_units[0] == top
    assert f"unit {top + 1} the most, at {caption_number(h.W2[T][0, top])}" in cap["sum"]
    assert f"adds b2 = {caption_number(h.b2[T][0, 0], 2)}." in cap["sum"]
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}


def test_captions_claim_only_what_the_lecture_run_shows() -> None:
    h = train(TrainConfig(iterations=2000))  # the course's run, shortened
    n = boundary_numbers(h, training_schedule(h, 15))
    cap = captions(n)
    assert not n.every_iteration and n.late_is_faster and "pass faster" in cap["late"]
    assert "slows down" in cap["early"]
    assert n.weights_grow and "thicker edges" in cap["late"]
    # The milestone is where 80 % of the cost decrease is made.
    assert h.cost[n.milestone] <= h.cost[0] - 0.8 * (h.cost[0] - h.cost.min()) + 1e-12
    wide = train(TrainConfig(hidden_units=9, iterations=5))
    n9 = boundary_numbers(wide, training_schedule(wide, 15))
    assert len(n9.shown_units) == MAX_UNITS and f"the {MAX_UNITS} of 9 units" in captions(n9)["units"]


def test_milestone_copes_with_a_cost_that_rises() -> None:
    rising = np.linspace(0.7, 0.9, 11)
    assert milestone_iteration(np.arange(11), rising, MILESTONE_DROP) == 5


def test_early_and_late_split_the_screen_time() -> None:
    schedule = np.array([0, 1, 2, 4, 8, 16, 32, 64, 100])
    # The milestone's share of the frames, kept at least min_seconds from either end.
    assert early_seconds(schedule, 8, 36.0, 10.0) == pytest.approx(36.0 * 4 / 8)
    assert early_seconds(schedule, 1, 36.0, 10.0) == 10.0 and early_seconds(schedule, 64, 36.0, 10.0) == 26.0
    assert early_seconds(schedule, 5, 36.0, 10.0) == early_seconds(schedule, 4, 36.0, 10.0)  # its scheduled step
    # "Faster" means iterations per second, by more than half again.
    assert passes_faster(100, 10, 20.0, 16.0) and not passes_faster(100, 50, 20.0, 16.0)
    assert not passes_faster(40, 10, 10.0, 20.0)  # 1.5 iterations a second against 1: not more than 1.5 times


# --- the renders ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders, so the second reuses the first's typeset TeX."""
    return tmp_path_factory.mktemp("decision_boundary_media")


@pytest.fixture(scope="module")
def run_a(fixture_history_path: Path, media: Path) -> SceneRun:
    env = {"NN_HISTORY": str(fixture_history_path)}
    return render_scene(SCENE, "DecisionBoundary", media, "DecisionBoundary_a", env)


@pytest.fixture(scope="module")
def run_b(fixture_history_b_path: Path, media: Path) -> SceneRun:
    """History b played without animations (``-s``): captions, times, layout and each beat's last picture."""
    env = {"NN_HISTORY": str(fixture_history_b_path)}  # 5 hidden units: the fuller layout
    return render_scene(SCENE, "DecisionBoundary", media, "DecisionBoundary_b", env, still=True)


@pytest.fixture(scope="module")
def video_a(run_a: SceneRun) -> Path:
    return run_a.mp4


@pytest.mark.render
def test_render_is_a_real_video_with_captions_and_sections(video_a: Path, fixture_history_path: Path) -> None:
    h = History.load(fixture_history_path)
    # One caption per beat, back to back; 60-150 s; a frame near each beat's end, none blank.
    frames = check_captioned_video(video_a, list(captions(boundary_numbers(h, training_schedule(h, 15))).values()))
    # The training beats show the coloured boundary picture: much of the frame is red or blue.
    early, late = frames[2], frames[3]
    assert red_blue_share(late) > 0.1 and red_blue_share(late) > red_blue_share(frames[1])
    assert np.abs(early - late).mean() > 1.0  # the picture moved between the two training beats
    sections = json.loads((video_a.parent / "sections" / f"{video_a.stem}.json").read_text())
    assert [s["name"] for s in sections][: len(BEATS)] == BEATS


@pytest.mark.render
def test_key_frames_match_the_reference_stills(video_a: Path) -> None:
    # Just before the end of three beats: the untrained picture, the trained one, the decomposition.
    ends = {name: end - 0.4 for name, (_, end, _) in zip(BEATS, read_srt(video_a), strict=True)}
    check_stills(video_a, "decision_boundary", {k: ends[k] for k in ("before", "late", "sum")})


@pytest.mark.render
def test_two_histories_give_two_segments(
    video_a: Path, run_b: SceneRun, fixture_history_path: Path, fixture_history_b_path: Path
) -> None:
    texts = {}
    said = {"a": [e[2] for e in read_srt(video_a)], "b": run_b.captions}
    durations = {"a": read_frames(video_a, [])[0], "b": run_b.duration}
    for key, path in (("a", fixture_history_path), ("b", fixture_history_b_path)):
        h = History.load(path)
        text = "\n".join(said[key])
        T = h.iterations
        final = f"the cost is {caption_number(h.cost[T])} and the accuracy {caption_percent(h.accuracy[T])}"
        assert f"After {T} iterations {final}" in text
        assert f"Each of the {h.hidden_units} hidden units" in text
        texts[key] = text
        assert 60.0 <= durations[key] <= 150.0
    numbers = {k: set(re.findall(r"\d+\.\d+", t)) for k, t in texts.items()}
    assert numbers["a"] - numbers["b"] and numbers["b"] - numbers["a"]
    # And the pictures differ too: each trained network's picture, at the end of the result beat.
    end_a = read_frames(video_a, [read_srt(video_a)[BEATS.index("result")][1] - 0.4])[1][0]
    assert np.abs(end_a - run_b.beat_end("result")).mean() > 1.0


@pytest.mark.render
def test_every_beat_fits_the_frame_without_overlaps(run_b: SceneRun) -> None:
    # The boxes of the top-level mobjects on screen at the end of every beat, recorded while the
    # scene rendered history b (5 hidden units: the fuller layout).
    assert list(run_b.boxes) == BEATS
    assert_in_frame_without_overlaps(run_b.boxes)


def test_network_diagram_is_driven_by_edges_only(fixture_history: History) -> None:
    # The segment drives the diagram through its edges (nodes and labels stay static); make sure
    # set_iteration restyles exactly those.
    d = NetworkDiagram(fixture_history, 0)
    widths = [e.get_stroke_width() for e in VGroup(*d.edges_1, *d.edges_2)]
    d.set_iteration(fixture_history.iterations)
    assert widths != [e.get_stroke_width() for e in VGroup(*d.edges_1, *d.edges_2)]


# --- deeper networks, other activations, features and a test set (issue 27) ----------------------

COURSE_CONFIGS = {
    # The two course configurations of media_config/, cut short: the same network, data and training.
    "init": ("media_config/course_initialization.toml", 60),
    "moons": ("media_config/moons_adam_l2_dropout.toml", 30),
}


@pytest.fixture(scope="module", params=sorted(COURSE_CONFIGS))
def course_history(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> History:
    from scene_checks import made_once

    from nncore import load_config

    path, epochs = COURSE_CONFIGS[request.param]
    cfg = load_config(Path(__file__).resolve().parent.parent / path).replace(iterations=epochs)
    folder = made_once(tmp_path_factory, f"boundary_history_{request.param}", lambda f: train(cfg).save(f / "h.npz"))
    return History.load(folder / "h.npz")


def test_deep_field_is_nncores_forward_on_the_features(course_history: History) -> None:
    from nncore.data import features
    from nncore.network import forward
    from scenes.common.field import plane_points

    h = course_history
    field = BoundaryField(h, 40, 30)
    assert not field.separable  # ReLU, two hidden layers
    X1, X2 = np.meshgrid(field.xs, field.ys)  # row 0 at the top, as the raster
    P = np.vstack([X1.ravel(), X2.ravel()])
    for i in (0, h.iterations):
        net = h.net(i)
        trace = forward(features(P, h.config.features), net, h.config.activation)
        np.testing.assert_array_equal(field.logits(net), trace.Z[-1].reshape(30, 40))
        np.testing.assert_allclose(field.logits(net, np.float32), trace.Z[-1].reshape(30, 40), atol=1e-4)
        np.testing.assert_array_equal(field.hidden(net), trace.G[-2].reshape(-1, 30, 40))
        wrong = field.misclassified(i)
        assert 1 - wrong.mean() == pytest.approx(h.accuracy[i])
        test_right = (field.point_logits(i, test=True)[0] > 0) == (h.Y_test[0] > 0.5)
        assert test_right.mean() == pytest.approx(h.test_accuracy[i])
    # The picture covers the points in the plane (not the features), test points included.
    both = np.hstack([plane_points(h), plane_points(h, test=True)])
    e = field.extent
    assert e.xmin < both[0].min() and e.xmax > both[0].max() and e.ymin < both[1].min() and e.ymax > both[1].max()


def test_test_points_are_hollow_training_points_filled(course_history: History) -> None:
    from scenes.common.field import plane_points

    h = course_history
    field = BoundaryField(h, 800, 800, point_radius_px=6.0)
    z = np.zeros((800, 800))  # a flat field: the background is the 0.5 colour everywhere
    flat = field.compose(z, contour=False).astype(int)
    background = field.compose(z, points=False, contour=False).astype(int)

    every = field.to_pixels(np.hstack([plane_points(h), plane_points(h, test=True)]))  # (2, m + m_test)

    def drawn(P: np.ndarray, dc: float) -> list[bool]:
        """Whether the pixel ``dc`` right of each lone point's centre differs from the background."""
        out = []
        for c, r in zip(*field.to_pixels(P), strict=True):
            alone = np.hypot(every[0] - c, every[1] - r) < 16
            if alone.sum() == 1 and 0 <= r < 800 and 0 <= c + dc < 800:
                out.append(bool(np.abs(flat[int(r), int(c + dc)] - background[int(r), int(c + dc)]).sum() > 30))
        return out

    # A training point covers its centre; a test point leaves it (the background shows) and draws a ring.
    train_centres = drawn(plane_points(h), 0)
    test_centres, test_rings = drawn(plane_points(h, test=True), 0), drawn(plane_points(h, test=True), 6.0)
    assert len(train_centres) > 20 and len(test_centres) > 5
    assert all(train_centres) and not any(test_centres) and all(test_rings)


def test_deep_captions_say_the_run(course_history: History) -> None:
    h = course_history
    n = boundary_numbers(h, sample_iterations(h.iterations, 40, h.cost))
    said = captions(n)
    cfg = h.config
    assert n.layers == 3 and n.n_h == cfg.layers[-1]
    np.testing.assert_array_equal(n.W2, h.W3[-1][0])
    assert n.test_accT == pytest.approx(h.test_accuracy[-1])
    assert f"{h.Y_test.shape[1]} test points" in said["picture"] and "hollow" in said["picture"]
    assert caption_percent(h.test_accuracy[-1]) + " on the test set" in said["result"]
    assert "ReLU" in said["units"] and "units of hidden layer 2" in said["units"] and "tanh" not in said["units"]
    assert "W3" in said["sum"] and "b3" in said["sum"]
    from nncore.network import forward as layer_forward

    last = layer_forward(h.X, h.net(h.iterations), "relu").A[-2]  # (n_2, m): the units the output weighs
    assert n.dead_units == tuple(u for u in range(last.shape[0]) if not last[u].any())
    for u in n.dead_units:
        assert str(u + 1) in said["units"].split("Unit")[-1]
    if cfg.batch_size:
        assert said["early"].startswith("Adam on mini-batches of 64 with learning rate 0.0007.")
        assert f"After {h.iterations} epochs" in said["result"]
    else:
        assert said["early"].startswith("Gradient descent with learning rate 0.01.")
        assert f"After {h.iterations} iterations" in said["result"]
    for text in said.values():
        assert not caption_problems(text), text


def test_deep_runs_fit_the_frame_at_every_beat(course_history: History, tmp_path: Path) -> None:
    path = tmp_path / "h.npz"
    course_history.save(path)
    run = render_scene(SCENE, "DecisionBoundary", tmp_path, "deep", {"NN_HISTORY": str(path)}, still=True)
    assert [b["name"] for b in run.record["beats"]] == BEATS
    assert_in_frame_without_overlaps(run.boxes)


def test_cost_curve_details_are_the_historys(course_history: History) -> None:
    h = course_history
    plain = CostCurves.single(h, iteration=0)
    assert not plain.series  # detail is asked for
    # the x axis counts what the run's snapshots are, with or without the detail
    unit = "epoch" if h.config.batch_size is not None else "iteration"
    assert plain.x_label.get_tex_string() == rf"\text{{{unit} (log scale)}}"
    curves = CostCurves.single(h, iteration=0, detail=True)
    E, batches = h.iterations, h.config.batch_size is not None
    test = curves.series[-1]
    np.testing.assert_array_equal(test.xy[:, 1], np.clip(h.test_cost[curves._its[0]], 0, curves.y_max))
    assert curves.y_max >= float(np.max(h.test_cost))  # the axis reaches the test cost too
    if batches:
        B = h.batches_per_epoch
        per_update = curves.series[0]
        assert len(curves.series) == 2 and per_update.tip is None
        np.testing.assert_array_equal(per_update.xy[:, 1], np.clip(h.batch_cost, 0, curves.y_max))  # every update
        np.testing.assert_array_equal(per_update.at, np.arange(h.updates) / B)
        assert "epoch" in curves.x_label.get_tex_string() and len(curves.epoch_marks) > 3
        curves.set_iteration(3)  # snapshot 3: the parameters after 3 epochs, 3 B updates
        assert len(per_update.curve.get_anchors()) // 2 + 1 == 3 * B + 1
    else:
        assert len(curves.series) == 1
    curves.set_iteration(E)
    assert test.tip is not None and np.allclose(test.tip.get_center(), curves._points(test.xy[-1:])[0])
    assert {"training", "test"} <= {p[1].get_tex_string().split("{")[1].rstrip("}") for p in curves.key}


@pytest.mark.render
def test_the_course_he_runs_key_frames_match_the_reference_stills(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    # The Initialization notebook's He run ([2, 10, 5, 1], ReLU, with its test set): the boundary
    # mid-training and at the end, hollow test points beside the filled training points.
    from deep_histories import history_path
    from scene_checks import check_pictures

    env = {"NN_HISTORY": str(history_path(tmp_path_factory, "deep"))}
    run = render_scene(SCENE, "DecisionBoundary", tmp_path, "deep_stills", env, still=True)
    beats = ("late", "result")
    check_pictures({b: run.beat_end(b) for b in beats}, "decision_boundary_deep", {b: f"the end of {b}" for b in beats})


def test_a_nan_logit_is_drawn_undecided_and_infinities_at_the_ends() -> None:
    # A network whose units overflow to infinities of both signs gives NaN logits far from the data:
    # they are drawn in the colour of probability 0.5, not looked up at a nonsense index.
    from scenes.common.field import _lut_index, probability_lut

    lut = probability_lut()
    nan, zero, lo, hi = _lut_index(np.array([np.nan, 0.0, -np.inf, np.inf]))
    assert nan == zero and 0 <= nan < lut.size
    assert (lo, hi) == (0, lut.size - 1)
