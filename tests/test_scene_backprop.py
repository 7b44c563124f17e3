"""The backprop segment: its numbers are the history's, its layout fits, its render is a real video."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from deep_histories import history_path
from scene_checks import SceneRun, check_pictures, check_stills, read_frames, read_srt, render_scene

from nncore import History, TrainConfig, load_config, train
from nncore.model import backward, forward
from nncore.network import backward as layer_backward
from nncore.network import cross_entropy, l2_term
from nncore.network import forward as layer_forward
from scenes.backprop_numbers import (
    FAST_FORWARD,
    SEARCH_WINDOW,
    SINGLE_STEPS,
    BackpropNumbers,
    backprop_numbers,
    captions,
    choose_iteration,
    gradient_norms,
    layer_chain,
    lr_text,
    optimizer_step,
    slope_beat,
    weight_value,
)
from scenes.common.format import caption_number, caption_percent
from scenes.common.numbers import GlyphNumber
from voice.spoken import caption_problems

BEATS = (
    "setup",
    "output_error_origin",
    "per_point_error",
    "output_layer",
    "tanh_slope",
    "hidden_layer",
    "update",
    "replay",
)
"""The chapter's beats in order, as the lecture promises them (the scene names them once, in ``captions``)."""

FRAME_W, FRAME_H = 14.222, 8.0  # manim's frame in scene units (16:9)


def _update_text(n: BackpropNumbers) -> str:
    """The weight update as the captions write it: before − lr × gradient ≈ after, to three digits (hence ≈)."""
    w = n.weight
    grad = caption_number(w.grad) if w.grad >= 0 else f"({caption_number(w.grad)})"
    return f"{caption_number(w.before)} \u2212 {lr_text(n.lr)} \u00d7 {grad} \u2248 {caption_number(w.after)}"


# --- the numbers ---------------------------------------------------------------------------------


def test_iteration_has_the_largest_gradient_of_the_window(fixture_history: History) -> None:
    h = fixture_history
    i = choose_iteration(h)
    window = min(SEARCH_WINDOW, h.iterations)
    norms = [np.sqrt(sum(float((g[j] ** 2).sum()) for g in (h.dW1, h.db1, h.dW2, h.db2))) for j in range(h.iterations)]
    assert i == int(np.argmax(norms[:window]))
    np.testing.assert_allclose(gradient_norms(h), norms, rtol=1e-12)
    # The rule looks only at the window: a shorter window picks within it.
    assert choose_iteration(h, window=5) == int(np.argmax(norms[:5]))


@pytest.mark.parametrize("which", ["a", "b"])
def test_numbers_are_the_historys(which: str, fixture_history_path: Path, fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_path if which == "a" else fixture_history_b_path)
    n = backprop_numbers(h)
    i = n.iteration
    for name in ("dW1", "db1", "dW2", "db2"):
        np.testing.assert_array_equal(getattr(n, name), getattr(h, name)[i])
    assert n.cost == h.cost[i] and n.accuracy == h.accuracy[i] and n.lr == h.config.learning_rate
    # The per-point error drawn on the data is the one that produced the history's gradients.
    cache = forward(h.X, h.params(i))
    np.testing.assert_array_equal(n.error, cache.A2 - h.Y)
    m = h.m
    np.testing.assert_allclose(n.error @ n.A1.T / m, h.dW2[i], rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(n.error.mean(), h.db2[i][0, 0], rtol=1e-10, atol=1e-15)
    g = backward(h.X, h.Y, h.params(i), cache)
    np.testing.assert_allclose(g.dW1, n.dW1, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(n.slope, (1 - np.tanh(h.W1[i] @ h.X + h.b1[i]) ** 2).mean(axis=1), rtol=1e-12)
    assert n.wrong == int(np.count_nonzero((cache.A2 > 0.5) != (h.Y > 0.5)))
    assert n.steps == list(range(i + 1, i + 1 + SINGLE_STEPS))
    assert n.replay_end == min(h.iterations, n.steps[-1] + FAST_FORWARD)
    # The facts the captions state and the picture shows, computed once.
    assert (n.m, n.hidden_units) == (h.m, h.hidden_units)
    hard = int(np.argmax(np.abs(cache.A2 - h.Y)[0]))
    assert n.hardest == hard and n.max_error == abs(cache.A2[0, hard] - h.Y[0, hard])
    np.testing.assert_array_equal(n.hard_x, h.X[:, hard])
    assert n.hard_y == h.Y[0, hard]
    assert n.steepest_unit == int(np.argmax(n.slope)) and n.flattest_unit == int(np.argmin(n.slope))
    assert n.biggest_output_unit == int(np.argmax(np.abs(h.dW2[i][0])))
    assert n.step_weights == [weight_value(h, n.weight, s) for s in n.steps]
    assert n.end_weight == weight_value(h, n.weight, n.replay_end) and n.end_cost == h.cost[n.replay_end]
    sizes = [np.abs(h.W1[j]).mean() + np.abs(h.W2[j]).mean() for j in (n.steps[-1], n.replay_end)]
    assert n.weights_grow == (sizes[1] > sizes[0])
    assert n.cost_falls == (h.cost[n.replay_end] < h.cost[i])


@pytest.mark.parametrize("which", ["a", "b"])
def test_weight_update_is_exact(which: str, fixture_history_path: Path, fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_path if which == "a" else fixture_history_b_path)
    n = backprop_numbers(h)
    w, i = n.weight, n.iteration
    # before - lr * gradient is exactly the next iteration's value: the update shown is the real one.
    assert w.before - n.lr * w.grad == w.after
    W, dW = (h.W1, h.dW1) if w.layer == 1 else (h.W2, h.dW2)
    row = w.unit if w.layer == 1 else 0
    col = w.k if w.layer == 1 else w.unit
    assert (w.before, w.grad, w.after) == (W[i][row, col], dW[i][row, col], W[i + 1][row, col])
    assert weight_value(h, w, i + 1) == w.after
    # It is the weight with the largest |gradient| of that update.
    largest = max(np.abs(h.dW1[i]).max(), np.abs(h.dW2[i]).max())
    assert abs(w.grad) == largest


def test_weight_is_chosen_among_drawn_units(fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_b_path)
    n_all = backprop_numbers(h)
    others = [u for u in range(h.hidden_units) if u != n_all.weight.unit]
    n_some = backprop_numbers(h, units=others)
    assert n_some.weight.unit in others
    assert n_some.weight.unit != n_all.weight.unit


def said(lines: dict[str, dict[str, str]]) -> list[str]:
    """Every line of :func:`captions`, beat after beat, in the order the scene says them."""
    return [text for beat in lines.values() for text in beat.values()]


def test_captions_narrate_every_beat_with_its_numbers(fixture_history: History) -> None:
    h = fixture_history
    n = backprop_numbers(h)
    lines = captions(n)
    assert tuple(lines) == BEATS
    assert all(lines[s] and all(len(c) > 20 for c in lines[s].values()) for s in BEATS)
    text = " ".join(said(lines))
    w = n.weight
    for expected in (
        f"update {n.iteration}",
        caption_number(n.grad_norm),
        caption_number(n.cost),
        f"{n.wrong} misclassified points",
        caption_number(np.abs(n.error).max()),
        f"db2 = {caption_number(n.db2[0, 0], 2)}.",
        f"before {caption_number(w.before)}, gradient {caption_number(w.grad)}",
        _update_text(n),
        f"iteration {n.replay_end}",
        caption_number(h.cost[n.replay_end]),
    ):
        assert expected in text, expected
    # The gradients are not read out entry by entry (the edges show them): the largest, and whose it is.
    top = int(np.argmax(np.abs(n.dW2[0])))
    assert f"the largest in size, {caption_number(n.dW2[0, top])}, is for unit {top + 1};" in text
    if w.layer == 1:
        assert abs(w.grad) == np.abs(n.dW1).max()
        assert f"the largest in size, {caption_number(w.grad)}, is for {w.name}." in text
    # The replay's single steps, three digits each.
    assert ", ".join(caption_number(v) for v in n.step_weights[:-1]) in text
    # Each line is a spoken line (tests/test_speech.py checks every segment on more runs).
    problems = {c: caption_problems(c) for c in said(lines) if caption_problems(c)}
    assert problems == {}


def test_a_tiny_run_is_narrated_without_false_claims() -> None:
    h = train(TrainConfig(hidden_units=1, iterations=2))
    n = backprop_numbers(h)
    assert n.steps[-1] <= h.iterations and n.replay_end == h.iterations
    lines = captions(n)
    text = " ".join(said(lines))
    # One hidden unit: no comparison of a unit with itself.
    slopes = lines["tanh_slope"]["mean_slopes"]
    assert "for the single hidden unit" in slopes and " but " not in slopes
    if n.replay_end == n.steps[-1]:
        assert "end of the run" in text and "the weights grow" not in text


def test_glyph_number_composes_and_keeps_its_anchor() -> None:
    # The replay's numbers follow their labels: anchored at their left end.
    g = GlyphNumber("-0.5927", font_size=30, align="left")
    assert g.text == "-0.5927" and len(g.body.points) > 0  # the glyphs, one path
    g.shift((1.0, 2.0, 0.0))
    np.testing.assert_allclose(g.anchor_point, [1.0, 2.0, 0.0])
    wide = g.width
    g.set_text("117")
    assert g.text == "117"
    np.testing.assert_allclose(g.anchor_point, [1.0, 2.0, 0.0])
    assert g.width < wide
    assert g.body.get_left()[0] >= 1.0 - 1e-9  # glyphs start at the anchor
    with pytest.raises(ValueError, match="cannot show"):
        g.set_text("1x5")


# --- the renders ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders, so the second reuses the first's typeset TeX."""
    return tmp_path_factory.mktemp("backprop_media")


@pytest.fixture(scope="module")
def run_a(fixture_history_path: Path, media: Path) -> SceneRun:
    """The video from history a, with the layout recorded at every beat's end while it rendered."""
    return render_scene(
        "scenes/backprop.py", "Backprop", media, "Backprop_a", {"NN_HISTORY": str(fixture_history_path)}
    )


@pytest.fixture(scope="module")
def video_a(run_a: SceneRun) -> Path:
    return run_a.mp4


@pytest.fixture(scope="module")
def run_b(fixture_history_b_path: Path, media: Path) -> SceneRun:
    """History b played without animations (``-s``): its captions, times and layout, no video."""
    return render_scene(
        "scenes/backprop.py", "Backprop", media, "Backprop_b", {"NN_HISTORY": str(fixture_history_b_path)}, still=True
    )


def _captions(video: Path) -> list[tuple[float, float, str]]:
    """The video's subcaptions, each caption's lines joined by spaces (as the narration is written)."""
    return [(start, end, text.replace("\n", " ")) for start, end, text in read_srt(video)]


@pytest.mark.render
def test_render_is_a_real_video_with_captions_and_sections(video_a: Path, fixture_history_path: Path) -> None:
    duration, _ = read_frames(video_a, [])
    _, frames = read_frames(video_a, list(np.linspace(2.0, duration - 1.0, 8)))
    assert 60.0 <= duration <= 150.0, duration
    for f in frames:
        lit = (f.max(axis=2) > 60).mean()
        assert lit > 0.01, lit  # not blank: text, diagram and formulas are drawn
        assert f[..., :].mean() < 80  # black background
    # The picture changes from beat to beat.
    assert min(np.abs(a - b).mean() for a, b in itertools.pairwise(frames)) > 0.05

    entries = _captions(video_a)
    h = History.load(fixture_history_path)
    n = backprop_numbers(h)
    expected = said(captions(n))
    assert [e[2] for e in entries] == expected
    starts = [e[0] for e in entries]
    assert starts == sorted(starts) and starts[0] == 0.0
    assert all(end - start >= len(text) / 20 for start, end, text in entries)  # long enough to read
    assert entries[-1][1] <= duration + 0.5

    sections = json.loads((video_a.parent / "sections" / f"{video_a.stem}.json").read_text())
    assert [s["name"] for s in sections] == list(BEATS)
    assert all(float(s["duration"]) > 5.0 for s in sections)  # every beat has time to be read


@pytest.mark.render
def test_two_histories_give_two_narrations(
    video_a: Path, run_b: SceneRun, fixture_history_path: Path, fixture_history_b_path: Path
) -> None:
    texts = {}
    spoken = {"a": [e[2] for e in _captions(video_a)], "b": [c.replace("\n", " ") for c in run_b.captions]}
    for key, path in (("a", fixture_history_path), ("b", fixture_history_b_path)):
        h = History.load(path)
        n = backprop_numbers(h)
        text = " ".join(spoken[key])
        for expected in (
            f"update {n.iteration}",
            f"after {_update_text(n)}",
            caption_number(n.cost),
            f"iteration {n.replay_end}",
        ):
            assert expected in text, (key, expected)
        texts[key] = (text, n)
    (text_a, n_a), (text_b, n_b) = texts["a"], texts["b"]
    assert text_a != text_b
    # Each narration has its own history's update, not the other's.
    update_a = f"\u2248 {caption_number(n_a.weight.after)}."
    update_b = f"\u2248 {caption_number(n_b.weight.after)}."
    assert update_a != update_b
    assert update_a in text_a and update_a not in text_b
    assert update_b in text_b and update_b not in text_a
    assert 60.0 <= run_b.duration <= 150.0


@pytest.mark.render
@pytest.mark.parametrize("which", ["a", "b"])
def test_layout_stays_in_frame_and_apart(which: str, run_a: SceneRun, run_b: SceneRun) -> None:
    # The scene's own snapshots, one at each beat's fullest moment, recorded while it ran.
    layout = (run_a if which == "a" else run_b).layout
    assert [s["section"] for s in layout] == list(BEATS)
    margin = 0.05
    for snap in layout:
        for x0, y0, x1, y1 in snap["on_screen"]:
            assert -FRAME_W / 2 + margin <= x0 and x1 <= FRAME_W / 2 - margin, (snap["section"], x0, x1)
            assert -FRAME_H / 2 + margin <= y0 and y1 <= FRAME_H / 2 - margin, (snap["section"], y0, y1)
        for (na, a), (nb, b) in itertools.combinations(snap["blocks"].items(), 2):
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (snap["section"], na, a, nb, b)


@pytest.mark.render
def test_key_frames_match_the_reference_stills(video_a: Path) -> None:
    # Every beat says two lines: a beat ends where its second caption does. Just before the end of
    # three beats: the per-point errors, the hidden layer's gradients, the replay.
    entries = read_srt(video_a)
    ends = {name: entries[2 * k + 1][1] - 0.4 for k, name in enumerate(BEATS)}
    check_stills(video_a, "backprop", {k: ends[k] for k in ("per_point_error", "hidden_layer", "replay")})


# --- any network: every layer, the activation's slope, L2, dropout, the optimiser (issue 27) --------

ROOT = Path(__file__).resolve().parent.parent
COURSE = {
    # The two course configurations of media_config/, cut short: the same network, data, batches and masks.
    "init": ("media_config/course_initialization.toml", 40),
    "moons": ("media_config/moons_adam_l2_dropout.toml", 12),
}


@pytest.fixture(scope="module", params=sorted(COURSE))
def course(request: pytest.FixtureRequest) -> History:
    path, epochs = COURSE[request.param]
    return train(load_config(ROOT / path).replace(iterations=epochs))


def test_chain_recomputes_the_historys_gradients_through_every_layer(course: History) -> None:
    h, cfg = course, course.config
    for e in (0, h.iterations // 2, h.iterations - 1):
        c = layer_chain(h, e)
        assert c.layers == len(cfg.layers) + 1 and c.m == (cfg.batch_size or h.m)
        X, Y, net = h.X[:, c.batch], h.Y[:, c.batch], h.net(e)
        trace = layer_forward(X, net, cfg.activation, c.masks, cfg.keep_prob)
        g = layer_backward(X, Y, net, trace, cfg.activation, c.masks, cfg.keep_prob, cfg.l2)
        for mine, theirs, recorded in zip(c.dW, g.dW, h.net_grads(e).dW, strict=True):
            np.testing.assert_array_equal(mine, recorded)
            np.testing.assert_array_equal(theirs, recorded)  # the batch, masks and L2 reproduce the update
        if "batch_cost" in h.more:
            assert c.cost == h.batch_cost[c.update]
        # dZ's: the output's is 1/m (A - Y); each one's product with the layer's input is its dW (no L2 part).
        for l in range(c.layers):
            a_prev = X if l == 0 else c.A[l - 1]
            l2 = cfg.l2 * net.W[l] / c.m
            np.testing.assert_allclose(c.dZ[l] @ a_prev.T + l2, c.dW[l], rtol=1e-12, atol=1e-15)


def test_chain_gradient_is_the_costs_slope(course: History) -> None:
    """Central differences of the update's own cost (its batch, its dropout masks, its L2 term) in a few weights."""
    h, cfg = course, course.config
    e = 1
    c = layer_chain(h, e)
    X, Y = h.X[:, c.batch], h.Y[:, c.batch]

    def cost(W: tuple[np.ndarray, ...]) -> float:
        net = h.net(e)._replace(W=W)
        A = layer_forward(X, net, cfg.activation, c.masks, cfg.keep_prob).A[-1]
        return cross_entropy(A, Y) + l2_term(net, cfg.l2, c.m)

    rng = np.random.default_rng(0)
    W0 = h.net(e).W
    for l in range(c.layers):
        for _ in range(3):
            r, k = rng.integers(W0[l].shape[0]), rng.integers(W0[l].shape[1])
            eps = 1e-6
            plus = [w.copy() for w in W0]
            minus = [w.copy() for w in W0]
            plus[l][r, k] += eps
            minus[l][r, k] -= eps
            slope = (cost(tuple(plus)) - cost(tuple(minus))) / (2 * eps)
            assert slope == pytest.approx(c.dW[l][r, k], rel=1e-5, abs=1e-8)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_optimizer_step_is_the_next_snapshot(optimizer: str) -> None:
    """Full batch: one update is one snapshot, so the step computed from the history's state is its next weights."""
    cfg = TrainConfig(hidden_layers=(3, 2), activation="relu", init="he", optimizer=optimizer, iterations=6)
    h = train(cfg.replace(learning_rate=0.05, l2=0.1))
    for e in range(h.iterations):
        for l in range(1, h.layers + 1):
            st = optimizer_step(h, e, l, 0, 0)
            assert st.after == h.arrays[f"W{l}"][e + 1][0, 0]
            assert st.before == h.arrays[f"W{l}"][e][0, 0] and st.grad == h.arrays[f"dW{l}"][e][0, 0]
            assert st.l2_part == pytest.approx(0.1 * st.before / h.m)
            if optimizer != "gd":
                assert st.v == h.arrays[f"vdW{l}"][e + 1][0, 0] and st.v_prev == h.arrays[f"vdW{l}"][e][0, 0]
            if optimizer == "adam":
                assert st.s == h.arrays[f"sdW{l}"][e + 1][0, 0] and st.t == e + 1
                expected = st.before - st.lr * st.v_hat / (np.sqrt(st.s_hat) + st.epsilon)
                assert st.after == pytest.approx(expected, rel=1e-12)


def test_deep_numbers_and_captions_say_the_run(course: History) -> None:
    h, cfg = course, course.config
    n = backprop_numbers(h)
    said = captions(n)
    L = len(cfg.layers) + 1
    assert list(said) == [*BEATS[:4], slope_beat("relu"), *BEATS[5:]]
    np.testing.assert_array_equal(n.dW2, h.arrays[f"dW{L}"][n.iteration])
    assert f"dZ{L} = A{L} − Y" in said["output_error_origin"]["cancel"]
    assert "ReLU" in said["relu_slope"]["quotient_rule"]
    assert n.step.after == n.weight.after
    if cfg.optimizer == "adam":
        assert said["update"]["rule"].startswith("Adam averages the gradients")
        assert f"mini-batch of {cfg.batch_size} points" in said["setup"]["largest_gradient"]
        assert "λ = 0.05" in said["output_layer"]["formula"]
        kept = caption_percent(n.chain.kept(1))
        assert f"kept {kept}" in said["hidden_layer"]["dropout"]
    else:
        assert said["update"]["rule"].startswith("Gradient descent")
        assert "dropout" not in said["hidden_layer"]
    for lines in said.values():
        for text in lines.values():
            assert not caption_problems(text), text


def test_a_one_layer_relu_momentum_run_plays_every_beat(tmp_path: Path) -> None:
    """The scene's general path (activation, optimiser, L2, dropout, mini-batches) on the one-layer diagram."""
    cfg = TrainConfig(
        hidden_units=3,
        activation="leaky_relu",
        optimizer="momentum",
        batch_size=64,
        l2=0.1,
        keep_prob=0.8,
        iterations=8,
        learning_rate=0.05,
        test_points=20,
    )
    path = train(cfg).save(tmp_path / "h.npz")
    run = render_scene("scenes/backprop.py", "Backprop", tmp_path, "general", {"NN_HISTORY": str(path)}, still=True)
    beats = [b["name"] for b in run.record["beats"]]
    assert beats == [*BEATS[:4], "leaky_relu_slope", *BEATS[5:]]
    assert [s["section"] for s in run.layout] == beats
    for snap in run.layout:  # as test_layout_stays_in_frame_and_apart
        for x0, y0, x1, y1 in snap["on_screen"]:
            assert -FRAME_W / 2 + 0.05 <= x0 and x1 <= FRAME_W / 2 - 0.05, (snap["section"], x0, x1)
            assert -FRAME_H / 2 + 0.05 <= y0 and y1 <= FRAME_H / 2 - 0.05, (snap["section"], y0, y1)
        for (na, a), (nb, b) in itertools.combinations(snap["blocks"].items(), 2):
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (snap["section"], na, nb)
    said = [line for b in run.record["beats"] for line in b.get("lines", [])]
    assert said, "the beats said their lines"


@pytest.mark.render
def test_the_course_he_runs_key_frames_match_the_reference_stills(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    # The Initialization notebook's He run ([2, 10, 5, 1], ReLU, tests/deep_histories.py): the output
    # layer's gradients on the diagram of every layer, and the update of one W[3] weight with its numbers.
    env = {"NN_HISTORY": str(history_path(tmp_path_factory, "deep"))}
    run = render_scene("scenes/backprop.py", "Backprop", tmp_path, "deep", env, still=True)
    beats = ("output_layer", "update")
    check_pictures({b: run.beat_end(b) for b in beats}, "backprop_deep", {b: f"the end of {b}" for b in beats})
