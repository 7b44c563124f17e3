"""The run explorer of the lecture's page: its data against the history, and the page in headless Chromium.

The export (``lecture/page/explorer.py``) is checked against the history it comes from; the page
(``lecture/page/templates/explorer.js``) is opened from disk in headless Chromium, driven over the DevTools
protocol (``tests/cdp.py``): the drawn field against nncore's forward pass pixel by pixel, the
readouts against the history, the slider by keyboard and by script, the link to the video, hover
and focus, no request leaving the page, the page without JavaScript, and the redraw time. Pages
are made without rendering (``tests/explorer_page.py``) from small histories; one tiny build
checks that ``python -m lecture build`` puts the explorer in its page and manifest.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cdp import CHROMIUM, Browser
from explorer_page import Page, make_page
from test_lecture_build import SCENES, render_toml

from lecture.page import explorer as ex
from lecture.render.inputs import history_digest
from nncore import History, TrainConfig, train
from nncore.config import load_config
from nncore.data import features
from nncore.network import activate
from nncore.network import forward as net_forward
from scenes.common.field import data_extent
from scenes.common.format import cost_text, fmt, percent_text
from scenes.common.layout import shown_hidden_units

ROOT = Path(__file__).resolve().parents[1]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")
RATIO_LIMIT = 20.0
"""A deep run's slider step at most this many times a fixed piece of arithmetic timed beside it.

Measured at load 9-11 on 2 cores: 5.4-6.4x for ``[10, 5]``, 1.8-2.2x for ``[5, 2]`` with a feature
cross (the step itself took 45-167 ms there, 26 ms for ``[10, 5]`` at load 3-5).
"""

RUN = TrainConfig(hidden_units=4, iterations=1500)
"""The lecture's run, shorter: the boundary forms by iteration 300."""

WIDE = TrainConfig(hidden_units=100, iterations=40)
"""The most hidden units the lecture accepts: the diagram draws 7 of them."""

COURSE = {
    "init": dataclasses.replace(load_config(ROOT / "media_config/course_initialization.toml"), iterations=400),
    "moons": dataclasses.replace(load_config(ROOT / "media_config/moons_adam_l2_dropout.toml"), iterations=40),
}
"""The two course configurations, shorter: He's [2, 10, 5, 1] ReLU network on circles with a test set;
Adam on mini-batches of moons with L2, dropout and the feature x1*x2, [3, 5, 2, 1]."""


@pytest.fixture(scope="module")
def run() -> History:
    return train(RUN)


@pytest.fixture(scope="module")
def wide() -> History:
    return train(WIDE)


@pytest.fixture(scope="module", params=sorted(COURSE))
def course_run(request: pytest.FixtureRequest) -> History:
    return train(COURSE[request.param])


@pytest.fixture(scope="module")
def default_run() -> History:
    """The lecture's default run itself (flower, 4 units, 10000 iterations): about 5 s to train."""
    return train(TrainConfig())


def clock_manifest(history: History, start: float = 10.0, fps: int = 15) -> dict[str, Any]:
    from explorer_page import clock_series

    clock = clock_series(history, fps, start + 2.0)
    return {
        "segments": [
            {"name": "title", "start": 0.0, "duration": start},
            {
                "name": "decision_boundary",
                "title": "Training moves the decision boundary",
                "start": start,
                "duration": clock[-1][0] - start + 3.0,
                "series": {"clock": clock},
            },
        ]
    }


# --- the export, in Python ------------------------------------------------------------------------


def test_the_export_holds_the_history_at_every_iteration_the_video_shows(run: History, tmp_path: Path) -> None:
    manifest = clock_manifest(run)
    clock = manifest["segments"][1]["series"]["clock"]
    e = ex.prepare_explorer(run, history_digest(run), manifest, tmp_path)
    d = e.data
    its = ex.unb64(d["iterations"], "<i4")
    assert its[0] == 0 and its[-1] == run.iterations and np.all(np.diff(its) > 0)
    assert set(i for _, i in clock) <= set(its.tolist())  # following the video shows its exact iteration
    assert 100 <= its.size <= 1000 and d["snapshots"] == its.size
    assert np.all(np.diff(its[:20]) == 1)  # log spaced: every early iteration

    n_h = run.hidden_units
    params = ex.unb64(d["params"], "<f8").reshape(its.size, 4 * n_h + 1)
    assert d["precision"] == "float64"
    np.testing.assert_array_equal(params[:, : 2 * n_h].reshape(-1, n_h, 2), run.W1[its])
    np.testing.assert_array_equal(params[:, 2 * n_h : 3 * n_h], run.b1[its, :, 0])
    np.testing.assert_array_equal(params[:, 3 * n_h : 4 * n_h], run.W2[its, 0])
    np.testing.assert_array_equal(params[:, 4 * n_h], run.b2[its, 0, 0])
    np.testing.assert_array_equal(ex.unb64(d["cost"], "<f8"), run.cost)
    np.testing.assert_array_equal(ex.unb64(d["correct"], "<u2") / run.m, run.accuracy)  # bit for bit
    np.testing.assert_array_equal(ex.unb64(d["X"], "<f8").reshape(2, -1), run.X)
    np.testing.assert_array_equal(ex.unb64(d["Y"], "u1"), run.Y[0])
    assert d["extent"] == list(data_extent(run.X, aspect=1.0))
    assert d["scales"] == [np.abs(run.W1).max(), np.abs(run.W2).max()]
    assert d["layers"] == [2, n_h, 1] and d["test"] is None and d["P"] is None and d["unit"] == "iteration"

    follow = d["follow"]
    assert follow["segment"] == "decision_boundary" and follow["start"] == 10.0
    assert [[t, i] for t, i in zip(follow["times"], follow["iterations"], strict=True)] == clock
    assert e.entry["follows"] == {"segment": "decision_boundary", "changes": len(clock)}
    assert e.entry["data_bytes"] == len(ex.data_json(d).encode())


def test_the_export_is_cached_by_the_history_and_the_clock(run: History, wide: History, tmp_path: Path) -> None:
    manifest = clock_manifest(run)
    first = ex.prepare_explorer(run, history_digest(run), manifest, tmp_path)
    assert not first.entry["reused"] and Path(first.entry["cache"]).is_file()
    again = ex.prepare_explorer(run, history_digest(run), manifest, tmp_path)
    assert again.entry["reused"] and again.entry["key"] == first.entry["key"] and again.data == first.data

    other = ex.prepare_explorer(wide, history_digest(wide), {"segments": []}, tmp_path)
    assert not other.entry["reused"] and other.entry["key"] != first.entry["key"]
    assert other.data["follow"] is None and other.entry["follows"] is None
    moved = clock_manifest(run, fps=30)  # another frame rate: another clock, another key
    assert ex.prepare_explorer(run, history_digest(run), moved, tmp_path).entry["key"] != first.entry["key"]
    # the clock's times are not part of the cached export: a segment moved in the lecture reuses it
    later = clock_manifest(run, start=20.0)
    shifted = ex.prepare_explorer(run, history_digest(run), later, tmp_path)
    assert shifted.entry["reused"] and shifted.data["follow"]["start"] == 20.0


def test_many_hidden_units_are_capped_like_the_video(wide: History, tmp_path: Path) -> None:
    d = ex.prepare_explorer(wide, history_digest(wide), {"segments": []}, tmp_path).data
    assert d["diagram"]["layout"]["shown"] == [[0, 1, 2, 97, 98, 99]] == [shown_hidden_units(100, 7)]
    assert shown_hidden_units(7, 7) == list(range(7)) and shown_hidden_units(1, 7) == [0]


def test_a_deep_run_is_exported_layer_by_layer_with_its_features_and_test_set(
    course_run: History, tmp_path: Path
) -> None:
    h, cfg = course_run, course_run.config
    d = ex.prepare_explorer(h, history_digest(h), {"segments": []}, tmp_path).data
    its = ex.unb64(d["iterations"], "<i4")
    assert d["layers"] == list(h.sizes) and d["activation"] == "relu" and d["features"] == list(cfg.features)
    assert d["unit"] == ("iteration" if cfg.batch_size is None else "epoch")
    assert d["run"].startswith("a network with two hidden layers of ") and "(ReLU)" in d["run"]
    params = ex.unb64(d["params"], "<f8").reshape(its.size, -1)
    assert params.shape[1] == ex.parameter_count(h.sizes)
    at = 0
    for l in range(1, h.layers + 1):  # W1, b1, W2, b2, W3, b3: each layer's weights row-major, then its biases
        W, b = getattr(h, f"W{l}")[its], getattr(h, f"b{l}")[its, :, 0]
        np.testing.assert_array_equal(params[:, at : at + W[0].size].reshape(W.shape), W)
        np.testing.assert_array_equal(params[:, at + W[0].size : at + W[0].size + b.shape[1]], b)
        at += W[0].size + b.shape[1]
    assert d["scales"] == [float(np.abs(getattr(h, f"W{l}")).max()) for l in range(1, h.layers + 1)]
    P, test = h.more.get("points", h.X), d["test"]
    np.testing.assert_array_equal(ex.unb64(d["X"], "<f8").reshape(h.X.shape), h.X)  # the inputs, features and all
    if "points" in h.more:
        np.testing.assert_array_equal(ex.unb64(d["P"], "<f8").reshape(2, -1), P)
    else:
        assert d["P"] is None
    P_test = h.more.get("points_test", h.X_test)
    assert test["m"] == h.X_test.shape[1] == 100
    np.testing.assert_array_equal(ex.unb64(test["X"], "<f8").reshape(h.X_test.shape), h.X_test)
    np.testing.assert_array_equal(ex.unb64(test["cost"], "<f8"), h.test_cost)
    np.testing.assert_array_equal(ex.unb64(test["correct"], "<u2") / 100, h.test_accuracy)  # bit for bit
    assert d["extent"] == list(data_extent(np.hstack([P, P_test]), aspect=1.0))  # the test points in the picture
    layout = d["diagram"]["layout"]
    assert layout["shown"] == [shown_hidden_units(n, 7) for n in cfg.layers] and len(layout["xs"]) == h.layers + 1


def test_deep_wide_networks_carry_fewer_snapshots_and_a_smaller_picture() -> None:
    sizes = (7, 100, 100, 100, 100, 1)
    count = ex.parameter_count(sizes)
    assert count == 7 * 100 + 100 + 3 * (100 * 100 + 100) + 100 + 1
    its = np.arange(0, 1000, 2)
    kept = ex.thin_snapshots(its, count)
    assert kept[0] == 0 and kept[-1] == its[-1] and kept.size * count * 4 <= ex.MAX_PARAM_BYTES
    assert ex.thin_snapshots(its, 17) is its
    assert ex.field_side((2, 4, 1)) == 480 and ex.field_side((2, 10, 5, 1)) == 480
    assert ex.field_side(sizes) == 120 and ex.field_side((2, 100, 100, 1)) < 480


def test_parameters_beyond_the_budget_are_float32(
    run: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ex, "PARAM_BUDGET", 1000)
    d = ex.prepare_explorer(run, history_digest(run), {"segments": []}, tmp_path).data
    its = ex.unb64(d["iterations"], "<i4")
    assert d["precision"] == "float32"
    W1 = ex.unb64(d["params"], "<f4").reshape(its.size, -1)[:, : 2 * run.hidden_units]
    np.testing.assert_allclose(W1.reshape(-1, run.hidden_units, 2), run.W1[its], rtol=1e-7, atol=1e-30)


def test_the_default_run_page_is_small(default_run: History, tmp_path: Path) -> None:
    sizes = {}
    for fps in (15, 30, 60):  # the clock of every preset: preview, course, hd60
        page = make_page(tmp_path / str(fps), default_run, fps, video=False)
        sizes[fps] = page.index.stat().st_size
    print(f"\ndefault run page sizes: { {f: f'{s / 1e6:.3f} MB' for f, s in sizes.items()} }")
    assert max(sizes.values()) <= 1_500_000


# --- the page, in headless Chromium -------------------------------------------------------------

READY = "window.__explorer && window.__explorer.ready"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("needs Chromium (Debian package `chromium`)")
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def page(run: History, tmp_path_factory: pytest.TempPathFactory) -> Page:
    return make_page(tmp_path_factory.mktemp("page"), run, fps=15)


def open_page(browser: Browser, page: Page) -> None:
    browser.open(page.index.as_uri(), ready=READY)


def show(browser: Browser, k: int) -> None:
    browser.eval(f"window.__explorer.show({k}); window.__explorer.flush(); 1")


def canvas_rgba(browser: Browser, canvas_id: str) -> np.ndarray:
    """The pixels of a canvas, ``(h, w, 4)`` uint8, as drawn."""
    b64 = browser.eval(
        f"""(function () {{
          var c = document.getElementById("{canvas_id}"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height);
          var s = "", a = d.data;
          for (var i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
          return [c.width, c.height, btoa(s)];
        }})()"""
    )
    w, h, data = b64
    return np.frombuffer(base64.b64decode(data), np.uint8).reshape(h, w, 4)


def field_agreement(rgba: np.ndarray, history: History, data: dict[str, Any], iteration: int) -> tuple[float, float]:
    """How well the drawn field agrees with nncore's forward pass on the same grid.

    Each colour of the field's table is the colour of a range of logits (the table is indexed by
    the logit, :func:`scenes.common.field._lut_index`). A pixel agrees when nncore's predicted class
    there (``A2 > 0.5``) is the class of its colour; a colour of logits of both signs (the dark seam
    at 0.5, or the whole picture before training, when every output is within 1e-4 of 0.5) agrees
    when nncore's logit lies in its range.

    Returns
    -------
    class_agreement : float
        Fraction of pixels that agree.
    value_agreement : float
        Fraction of pixels whose colour's logit range holds nncore's logit (within one table step).
    """
    n = data["field_px"]
    xmin, xmax, ymin, ymax = data["extent"]
    xs = xmin + (np.arange(n) + 0.5) * (xmax - xmin) / n  # the grid of scenes.common.field.BoundaryField
    ys = ymax - (np.arange(n) + 0.5) * (ymax - ymin) / n
    gx, gy = np.meshgrid(xs, ys)
    z = plane_logits(history, iteration, np.vstack([gx.ravel(), gy.ravel()]))  # nncore, (n*n,)
    cls = 1 / (1 + np.exp(-z)) > 0.5

    lut = np.frombuffer(base64.b64decode(data["probability_lut"]), "<u4")
    size, k = data["lut_size"], (data["lut_size"] - 1) / (2 * data["lut_z"])
    lower = (np.arange(size) - size // 2) / k  # table entry i holds logits [lower[i], lower[i] + 1/k)
    lower[0] = -np.inf
    upper = lower + 1 / k
    upper[-1] = np.inf
    lo: dict[int, float] = {}
    hi: dict[int, float] = {}
    for i, word in enumerate(lut.tolist()):
        lo[word] = min(lo.get(word, np.inf), lower[i])
        hi[word] = max(hi.get(word, -np.inf), upper[i])
    words = rgba.reshape(-1, 4).copy().view("<u4")[:, 0]
    assert set(np.unique(words).tolist()) <= set(lo), "a pixel of the field is not a colour of the table"
    zlo = np.array([lo[w] for w in words.tolist()])
    zhi = np.array([hi[w] for w in words.tolist()])
    decided = (zhi <= 0) | (zlo > 0)  # a colour from logit 0 up holds z = 0, which nncore calls class 0
    agree = np.where(decided, (zlo >= 0) == cls, (zlo <= z) & (z < zhi))
    inside = (zlo - 1 / k <= z) & (z < zhi + 1 / k)
    return float(agree.mean()), float(inside.mean())


def plane_logits(history: History, i: int, P: np.ndarray) -> np.ndarray:
    """nncore's output logits ``Z[L]`` at points ``P`` (2, n) of the plane: their features, then every layer."""
    X = features(P, history.config.features)  # (n_x, n)
    z: np.ndarray = net_forward(X, history.net(i), history.config.activation).Z[-1][0]
    return z


def readouts(browser: Browser) -> dict[str, str]:
    return browser.eval(
        "({iteration: document.getElementById('ex-iter').textContent, cost: document.getElementById('ex-cost')"
        ".textContent, accuracy: document.getElementById('ex-acc').textContent,"
        " wrong: document.getElementById('ex-wrong').textContent})"
    )


def misclassified(history: History, i: int, test: bool = False) -> list[int]:
    X, Y = (history.X_test, history.Y_test) if test else (history.X, history.Y)
    A = net_forward(X, history.net(i), history.config.activation).A[-1]
    return np.flatnonzero((A[0] > 0.5) != (Y[0] > 0.5)).tolist()


def check_iteration(browser: Browser, history: History, data: dict[str, Any], k: int) -> tuple[float, float]:
    """Show snapshot ``k``; its picture and numbers against the history. Returns the agreements."""
    show(browser, k)
    i = int(ex.unb64(data["iterations"], "<i4")[k])
    assert browser.eval("window.__explorer.state.iteration") == i
    agree = field_agreement(canvas_rgba(browser, "ex-field"), history, data, i)
    assert agree[0] >= 0.995 and agree[1] >= 0.995, (i, agree)
    r = readouts(browser)
    wrong = misclassified(history, i)
    assert r == {
        "iteration": str(i),
        "cost": cost_text(history.cost[i]),
        "accuracy": percent_text(history.accuracy[i]),
        "wrong": f"{len(wrong)} of {history.m}",
    }
    assert browser.eval("window.__explorer.state.wrong") == wrong  # the ringed points
    return agree


def iterations_of(page: Page) -> np.ndarray:
    return ex.unb64(page.explorer.data["iterations"], "<i4")


@needs_chromium
def test_the_field_is_nncores_forward_pass_and_the_numbers_the_historys(browser: Browser, page: Page) -> None:
    open_page(browser, page)
    its = iterations_of(page)
    picks = [0, int(np.searchsorted(its, 60)), int(np.searchsorted(its, 300)), len(its) - 1]
    found = {int(its[k]): check_iteration(browser, page.history, page.explorer.data, k) for k in picks}
    print(f"\nfield agreement with nncore (class, logit range) by iteration: {found}")


@needs_chromium
def test_a_hundred_hidden_units(browser: Browser, wide: History, tmp_path: Path) -> None:
    page = make_page(tmp_path, wide, fps=15)
    open_page(browser, page)
    check_iteration(browser, wide, page.explorer.data, len(iterations_of(page)) - 1)
    nodes = browser.eval("Array.from(document.querySelectorAll('.ex-node text')).map(t => t.textContent)")
    assert nodes == ["x1", "x2", "1", "2", "3", "98", "99", "100", "\u0177"]  # 7 drawn, as the video's diagram
    assert browser.eval("document.querySelector('.ex-dots').textContent") == "\u22ee"
    assert browser.eval("document.querySelectorAll('.ex-edge').length") == 6 * 3


@needs_chromium
def test_a_deep_run_in_the_page_is_nncores(browser: Browser, course_run: History, tmp_path: Path) -> None:
    """Configurations 2 and 3: the page's forward pass gives nncore's probabilities, to 1e-12."""
    h, cfg = course_run, course_run.config
    page = make_page(tmp_path, h, fps=15, video=False)
    open_page(browser, page)
    its, d = iterations_of(page), page.explorer.data
    rng = np.random.default_rng(0)
    xmin, xmax, ymin, ymax = d["extent"]
    plane = np.vstack([rng.uniform(xmin, xmax, 200), rng.uniform(ymin, ymax, 200)])  # (2, 200)
    P, P_test = h.more.get("points", h.X), h.more.get("points_test", h.X_test)
    worst = 0.0
    for k in (0, len(its) // 2, len(its) - 1):
        i = int(its[k])
        for points in (P, P_test, plane):
            call = f"window.__explorer.probabilities({k}, {points[0].tolist()}, {points[1].tolist()})"
            drawn = np.array(browser.eval(call))
            exact = 1 / (1 + np.exp(-plane_logits(h, i, points)))
            worst = max(worst, float(np.abs(drawn - exact).max()))
        show(browser, k)
        agree = field_agreement(canvas_rgba(browser, "ex-field"), h, d, i)
        assert agree[0] >= 0.995 and agree[1] >= 0.995, (i, agree)
        found = readouts(browser) | browser.eval(
            "({test_accuracy: document.getElementById('ex-test-acc').textContent,"
            " test_wrong: document.getElementById('ex-test-wrong').textContent})"
        )
        assert found == {
            "iteration": str(i),
            "cost": cost_text(h.cost[i]),
            "accuracy": percent_text(h.accuracy[i]),
            "wrong": f"{len(misclassified(h, i))} of {h.m}",
            "test_accuracy": percent_text(h.test_accuracy[i]),
            "test_wrong": f"{len(misclassified(h, i, test=True))} of 100",
        }
        assert browser.eval("window.__explorer.state.wrong") == misclassified(h, i)
        assert browser.eval("window.__explorer.state.wrongTest") == misclassified(h, i, test=True)
    print(f"\nlargest difference from nncore's probabilities ({cfg.features}, {cfg.layers}): {worst:.2e}")
    assert worst <= 1e-12

    # the diagram: every layer, named under its column, the features as the inputs
    assert browser.eval("document.getElementById('ex-unit').textContent") == d["unit"]
    layers = browser.eval("Array.from(document.querySelectorAll('.ex-layer')).map(t => t.textContent)")
    n1, n2 = cfg.layers
    assert layers == ["input", "hidden 1", f"{n1} ReLU", "hidden 2", f"{n2} ReLU", "output: \u03c3"]
    n_x, (n1, n2) = h.n_x, [len(shown_hidden_units(n, 7)) for n in cfg.layers]  # drawn units: 6 of 10
    assert browser.eval("document.querySelectorAll('.ex-node').length") == n_x + n1 + n2 + 1
    assert browser.eval("document.querySelectorAll('.ex-edge').length") == n_x * n1 + n1 * n2 + n2
    k = len(its) - 1
    i = int(its[k])
    show(browser, k)
    net = h.net(i)

    def num(v: float) -> str:
        return fmt(v, 3).replace("-", "\u2212")

    assert item_text(browser, ".ex-edge", n_x * n1) == (  # the first edge into hidden layer 2's first unit
        f"{d['unit'].capitalize()} {i}: weight from unit 1 of hidden layer 1 to unit 1 of hidden layer 2: "
        f"W2[1,1] = {num(net.W[1][0, 0])}."
    )
    # a unit of the second hidden layer: its field over the plane, after the first layer, as nncore computes it
    text = item_text(browser, ".ex-node", n_x + n1 + 1)
    assert text.startswith(
        f"{d['unit'].capitalize()} {i}: unit 2 of hidden layer 2: ReLU of layer 1's {cfg.layers[0]} outputs"
    )
    rgba = canvas_rgba(browser, "ex-unitmap")
    n = rgba.shape[0]
    xs = xmin + (np.arange(n) + 0.5) * (xmax - xmin) / n
    ys = ymax - (np.arange(n) + 0.5) * (ymax - ymin) / n
    gx, gy = np.meshgrid(xs, ys)
    trace = net_forward(features(np.vstack([gx.ravel(), gy.ravel()]), cfg.features), net, "relu")
    a = trace.A[1][1].reshape(n, n)
    from scenes.common.colors import value_rgb

    scale = float(np.abs(a).max())
    assert f"deepest blue {num(scale)}" in text
    assert np.abs(rgba[..., :3].astype(int) - value_rgb(a / scale, 1.0).astype(int)).max() <= 2
    # A slider step against a fixed piece of arithmetic timed right after it, in the same page: the
    # machine is shared, so the ratio is what is held (an absolute 150 ms failed at load 8).
    timed = browser.eval(
        """(function () {
          var e = window.__explorer, s = document.getElementById("ex-slider"), out = [], ref = [];
          var work = new Float64Array(400000), sink = 0;
          for (var k = 0; k < 30; k++) {
            var t0 = performance.now();
            s.value = String(k % e.iterations.length); s.dispatchEvent(new Event("input")); e.flush();
            var t1 = performance.now();
            for (var j = 0; j < work.length; j++) work[j] = Math.tanh(j * 1e-5 + k) * Math.exp(-j * 1e-6);
            sink += work[k];
            out.push(t1 - t0); ref.push(performance.now() - t1);
          }
          return {steps: out, ref: ref, sink: sink};
        })()"""
    )
    step = float(np.median(timed["steps"][5:]))  # the full picture each step (flush): no 2x2 blocks
    ref = float(np.median(timed["ref"][5:]))
    print(
        f"\n{cfg.layers} on {cfg.features}: a slider step redraws in {step:.1f} ms (median), {step / ref:.2f}x "
        f"the reference arithmetic ({ref:.1f} ms)"
    )
    assert step / ref < RATIO_LIMIT
    urls = browser.requests()  # no request leaves the page, whatever it draws
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == [] and page.index.as_uri() in urls
    assert activate(np.array([-1.0, 2.0]), "relu").tolist() == [0.0, 2.0]


def slider_state(browser: Browser) -> tuple[int, int, str]:
    """(slider position, iteration shown, a digest of the field's pixels)."""
    pos, it = browser.eval("[+document.getElementById('ex-slider').value, window.__explorer.state.iteration]")
    browser.eval("window.__explorer.flush(); 1")
    return pos, it, canvas_digest(browser)


def canvas_digest(browser: Browser) -> str:
    return browser.eval(
        """(function () { var c = document.getElementById("ex-field");
           var a = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, h = 0;
           for (var i = 0; i < a.length; i += 7) h = (h * 31 + a[i]) | 0;
           return String(h); })()"""
    )


@needs_chromium
def test_the_slider_moves_by_keyboard_and_by_script(browser: Browser, page: Page) -> None:
    open_page(browser, page)
    its = iterations_of(page).tolist()
    show(browser, 40)
    browser.eval("document.getElementById('ex-slider').focus(); 1")
    before = slider_state(browser)
    browser.key("ArrowRight", "ArrowRight", 39)
    after = slider_state(browser)
    assert after[:2] == (41, its[41]) and after[2] != before[2]  # the picture changed
    assert browser.eval("window.__explorer.state.linked") is False  # the learner took over
    browser.key("End", "End", 35)
    assert slider_state(browser)[:2] == (len(its) - 1, its[-1])
    browser.key("Home", "Home", 36)
    assert slider_state(browser)[:2] == (0, 0)
    browser.key(".", "Period", 190)  # step
    assert slider_state(browser)[:2] == (1, its[1])

    # by script, as an assistive tool or a test would
    browser.eval(
        "var s = document.getElementById('ex-slider'); s.value = '150'; s.dispatchEvent(new Event('input')); 1"
    )
    moved = slider_state(browser)
    assert moved[:2] == (150, its[150]) and moved[2] != after[2]
    assert browser.eval("document.getElementById('ex-slider').getAttribute('aria-valuetext')") == (
        f"iteration {its[150]} of {page.history.iterations}"
    )
    browser.eval("document.getElementById('ex-next').click(); 1")
    assert slider_state(browser)[:2] == (151, its[151])

    # play, then pause with the keyboard
    browser.key("k", "KeyK", 75)
    time.sleep(0.6)
    assert browser.eval("window.__explorer.state.playing") is True
    browser.key("k", "KeyK", 75)
    pos, _, _ = slider_state(browser)
    assert browser.eval("window.__explorer.state.playing") is False and pos > 151


def video_iteration(page: Page, t: float) -> int | None:
    """The iteration the video shows at lecture time ``t`` (in the followed chapter), from the clock."""
    follow = page.explorer.data["follow"]
    if not follow["start"] <= t < follow["end"]:
        return None
    before = [i for s, i in page.clock if s <= t]
    return int(before[-1] if before else page.clock[0][1])


def seek(browser: Browser, t: float) -> None:
    browser.eval(
        f"""new Promise(function (done) {{ var v = document.getElementById("lecture");
              v.addEventListener("seeked", function () {{ done(1); }}, {{once: true}}); v.currentTime = {t}; }})"""
    )


@needs_chromium
def test_the_explorer_follows_the_video_during_its_chapter(browser: Browser, page: Page) -> None:
    open_page(browser, page)
    browser.eval(
        "new Promise(function (d) { var v = document.getElementById('lecture');"
        " if (v.readyState >= 1) d(1); else v.addEventListener('loadedmetadata', function () { d(1); }); })"
    )
    f = page.explorer.data["follow"]
    state = "window.__explorer.state"
    assert browser.eval(f"{state}.linked") is True
    assert browser.eval("document.getElementById('ex-follow').getAttribute('aria-pressed')") == "true"
    times = [f["start"] + 0.5, page.clock[5][0] + 0.01, page.clock[len(page.clock) // 2][0], page.clock[-1][0] + 1]
    for t in times:
        seek(browser, t)
        assert browser.eval(f"{state}.iteration") == video_iteration(page, t), t
    assert browser.eval(f"{state}.iteration") == page.history.iterations
    shown = browser.eval(f"{state}.iteration")
    seek(browser, 1.0)  # another chapter: the explorer stays where it is
    assert browser.eval(f"{state}.iteration") == shown
    assert "follows it during" in browser.eval("document.getElementById('ex-status').textContent")

    # the learner moves the slider: the link pauses; the button restores it
    browser.eval("var s = document.getElementById('ex-slider'); s.value = '3'; s.dispatchEvent(new Event('input')); 1")
    t = page.clock[len(page.clock) // 3][0] + 0.01
    seek(browser, t)
    assert browser.eval(f"{state}.index") == 3 and browser.eval(f"{state}.linked") is False
    assert "paused" in browser.eval("document.getElementById('ex-status').textContent")
    browser.eval("document.getElementById('ex-follow').click(); 1")
    assert browser.eval(f"{state}.linked") is True
    assert browser.eval(f"{state}.iteration") == video_iteration(page, t)

    # while the video plays, the explorer shows what it shows
    browser.eval("document.getElementById('lecture').play()")
    time.sleep(1.0)
    now = browser.eval(
        "new Promise(function (d) { var v = document.getElementById('lecture');"
        " v.addEventListener('pause', function () { d(v.currentTime); }, {once: true}); v.pause(); })"
    )
    assert now > t + 0.3
    assert browser.eval(f"{state}.iteration") == video_iteration(page, now)


def item_text(browser: Browser, selector: str, index: int) -> str:
    browser.eval(f"document.querySelectorAll('{selector}')[{index}].focus(); 1")
    return browser.eval("document.getElementById('ex-info-text').textContent")


@needs_chromium
def test_focusing_an_edge_or_a_unit_shows_its_value_and_a_units_field(browser: Browser, page: Page) -> None:
    open_page(browser, page)
    h, its = page.history, iterations_of(page)
    k = int(np.searchsorted(its, 300))
    i = int(its[k])
    show(browser, k)
    p = h.params(i)

    def num(v: float) -> str:
        return fmt(v, 3).replace("-", "\u2212")

    # edges in the order of the video's diagram: per hidden unit, x1 and x2 to it, then it to the output
    assert (
        item_text(browser, ".ex-edge", 0)
        == f"Iteration {i}: weight from input x\u2081 to hidden unit 1: W1[1,1] = {num(p.W1[0, 0])}."
    )
    assert f"W1[2,2] = {num(p.W1[1, 1])}." in item_text(browser, ".ex-edge", 4)
    assert f"W2[3] = {num(p.W2[0, 2])}." in item_text(browser, ".ex-edge", 8)
    stroke = browser.eval("document.querySelectorAll('.ex-edge line')[0].getAttribute('stroke')")
    from scenes.common.colors import value_rgb

    lut = value_rgb(np.linspace(-1.0, 1.0, ex.VALUE_LUT_SIZE)[None, :], 1.0)[0]
    j = round((np.clip(p.W1[0, 0] / np.abs(h.W1).max(), -1, 1) + 1) / 2 * (ex.VALUE_LUT_SIZE - 1))
    assert stroke == "rgb({},{},{})".format(*lut[j])  # the video's colour of that weight

    text = item_text(browser, ".ex-node", 2 + 1)  # hidden unit 2
    assert text.startswith(f"Iteration {i}: hidden unit 2: a\u2082 = tanh({num(p.W1[1, 0])} x\u2081 ")
    assert browser.eval("getComputedStyle(document.getElementById('ex-unitmap')).display") == "block"
    # the small map is that unit's tanh over the same plane, in the video's signed colours
    rgba = canvas_rgba(browser, "ex-unitmap")
    n = rgba.shape[0]
    xmin, xmax, ymin, ymax = page.explorer.data["extent"]
    xs = xmin + (np.arange(n) + 0.5) * (xmax - xmin) / n
    ys = ymax - (np.arange(n) + 0.5) * (ymax - ymin) / n
    a = np.tanh(p.W1[1, 0] * xs[None, :] + p.W1[1, 1] * ys[:, None] + p.b1[1, 0])
    drawn, exact = rgba[..., :3].astype(int), value_rgb(a, 1.0).astype(int)
    assert np.abs(drawn - exact).max() <= 2  # the page's table has 1025 entries; value_rgb is exact
    assert "b2 = " in item_text(browser, ".ex-node", 2 + 4)
    browser.eval("document.activeElement.blur(); 1")
    assert browser.eval("getComputedStyle(document.getElementById('ex-unitmap')).display") == "none"


@needs_chromium
def test_no_request_leaves_the_page(browser: Browser, page: Page) -> None:
    open_page(browser, page)
    browser.eval("document.getElementById('ex-play').click(); 1")
    time.sleep(0.5)
    browser.eval("document.querySelectorAll('.ex-node')[3].focus(); document.getElementById('lecture').play(); 1")
    time.sleep(0.5)
    browser.eval("document.getElementById('lecture').pause(); 1")
    urls = browser.requests()
    own = {page.index.as_uri(), (page.folder / "lecture.mp4").as_uri(), (page.folder / "poster.png").as_uri()}
    own |= {
        (page.folder / f"thumbs/{n:02d}-{s}.jpg").as_uri()
        for n, s in enumerate(("title", "decision_boundary", "summary"), 1)
    }
    files = {u for u in urls if u.startswith("file:")}
    others = [u for u in urls if not u.startswith(("file:", "data:"))]
    assert others == [] and files <= own and page.index.as_uri() in files


@needs_chromium
def test_without_javascript_the_video_and_its_tracks_still_play(browser: Browser, page: Page) -> None:
    browser.open(page.index.as_uri(), scripts=False)
    try:
        deadline = time.monotonic() + 30
        while browser.eval("document.getElementById('lecture').readyState") < 1:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        while browser.eval("Array.from(document.querySelectorAll('track')).some(t => t.readyState < 2)"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        found = browser.eval(
            """({explorer: typeof window.__explorer, hidden: document.getElementById("explorer").hidden,
                 shown: document.getElementById("explorer").getClientRects().length,
                 noscript: (document.querySelector(".ex-noscript") || {}).textContent || "",
                 duration: document.getElementById("lecture").duration,
                 tracks: Array.from(document.querySelectorAll("track")).map(
                   t => [t.kind, t.readyState, t.track.cues.length, t.src.slice(0, 5)]),
                 links: Array.from(document.querySelectorAll("ol.chapters a")).map(a => a.getAttribute("href"))})"""
        )
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", value=False)
    assert found["explorer"] == "undefined" and found["hidden"] is True and found["shown"] == 0
    assert "needs JavaScript" in found["noscript"]
    assert found["duration"] == pytest.approx(sum(s["duration"] for s in page.manifest["segments"]), abs=0.3)
    assert found["tracks"] == [["captions", 2, 1, "data:"], ["chapters", 2, 3, "data:"]]
    assert found["links"] == [f"lecture.mp4#t={s['start']:.3f}" for s in page.manifest["segments"]]


@needs_chromium
def test_moving_the_slider_redraws_in_under_50_ms(browser: Browser, default_run: History, tmp_path: Path) -> None:
    page = make_page(tmp_path, default_run, fps=30)
    open_page(browser, page)
    steps = browser.eval(
        """(function () {
          var e = window.__explorer, s = document.getElementById("ex-slider"), out = [], parts = [];
          for (var k = 0; k < 160; k++) {
            var t0 = performance.now();
            s.value = String(120 + k); s.dispatchEvent(new Event("input")); e.flush();
            out.push(performance.now() - t0); parts.push(e.state.parts);
          }
          return {steps: out, parts: parts};
        })()"""
    )
    t = np.array(steps["steps"][10:])  # after the first few (the script compiling)
    field = np.array([p["field"] for p in steps["parts"][10:]])
    load = Path("/proc/loadavg").read_text().split()[0]
    print(
        f"\nredraw per slider step, default run, {page.explorer.data['field_px']} px field: median "
        f"{np.median(t):.1f} ms, 90th percentile {np.percentile(t, 90):.1f} ms, max {t.max():.1f} ms "
        f"(field alone: median {np.median(field):.1f} ms); load average {load}"
    )
    assert np.median(t) < 50


# --- the build ----------------------------------------------------------------------------------


@pytest.mark.render
def test_the_build_puts_the_explorer_in_the_page_and_the_manifest(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "render.toml").write_text(
        render_toml(SCENES, small=None, b=("decision_boundary", "Training moves the decision boundary", True))
    )
    (tmp_path / "cfg.toml").write_text("[model]\nhidden_units = 3\n\n[train]\niterations = 60\n")
    cmd = [sys.executable, "-m", "lecture", "build", "--render-config", str(tmp_path / "render.toml")]
    cmd += ["--config", str(tmp_path / "cfg.toml"), "--build-dir", str(tmp_path / "build"), "--jobs", "2"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    out = tmp_path / "build" / "lecture" / "preview"
    m = json.loads((out / "manifest.json").read_text())
    h = History.load(m["history"]["file"])
    e = m["explorer"]
    assert e["format"] == ex.EXPORT_FORMAT and e["reused"] is False and e["history_digest"] == m["history"]["digest"]
    assert e["page_bytes"] == (out / "index.html").stat().st_size
    assert Path(e["cache"]).is_file() and Path(e["cache"]).parent == tmp_path / "build" / "explorer"
    segment = next(s for s in m["segments"] if s["name"] == "decision_boundary")
    clock = segment["series"]["clock"]
    assert [i for _, i in clock] == [0, h.iterations] and e["follows"] == {"segment": "decision_boundary", "changes": 2}

    page = (out / "index.html").read_text()
    found = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S)
    assert found
    data = json.loads(found.group(1))
    np.testing.assert_array_equal(ex.unb64(data["cost"], "<f8"), h.cost)
    assert data["follow"]["times"] == [t for t, _ in clock] and data["follow"]["start"] == segment["start"]

    browser.open((out / "index.html").as_uri(), ready=READY)
    assert browser.eval("window.__explorer.state.iteration") == 0
    browser.eval(
        "new Promise(function (d) { var v = document.getElementById('lecture');"
        " if (v.readyState >= 1) d(1); else v.addEventListener('loadedmetadata', function () { d(1); }); })"
    )
    browser.eval(
        "var s = document.getElementById('ex-slider'); s.value = s.max; s.dispatchEvent(new Event('input')); 1"
    )
    assert browser.eval("window.__explorer.state.iteration") == h.iterations
    browser.eval("document.getElementById('ex-follow').click(); 1")
    seek(browser, (clock[0][0] + clock[1][0]) / 2)  # inside the chapter, while its clock shows iteration 0
    assert browser.eval("window.__explorer.state.iteration") == 0
