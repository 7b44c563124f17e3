"""The forward-pass segment: its point and numbers come from the history, its render is a real video."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from deep_histories import CONFIGS, history_path
from manim import AnimationGroup
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
from nncore.network import forward
from scenes.common.format import caption_number
from scenes.common.layout_check import check_segment
from scenes.common.network import NetworkDiagram
from scenes.forward_pass import (
    CONFIDENT,
    GUESS_BAND,
    LN2,
    Pass,
    captions,
    choose_point,
    forward_numbers,
    hidden_beat_name,
    verdict,
)
from voice.spoken import caption_parts, caption_problems

FRAME_W, FRAME_H = 14.222, 8.0  # manim's frame in scene units (16:9)
BEATS = [
    "network",
    "input_initial",
    "hidden_initial",
    "output_initial",
    "trained",
    "hidden_trained",
    "output_trained",
    "cost",
]


def _trained_p_label(h: History) -> np.ndarray:
    """Probability the trained network gives each point's label, computed without nncore.model."""
    W1, b1, W2, b2 = h.W1[-1], h.b1[-1], h.W2[-1], h.b2[-1]
    a2 = 1 / (1 + np.exp(-(W2 @ np.tanh(W1 @ h.X + b1) + b2)))[0]
    return np.where(h.Y[0] > 0.5, a2, 1 - a2)


# --- the numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["a", "b"])
def test_point_is_chosen_by_the_rule(which: str, fixture_history_path: Path, fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_path if which == "a" else fixture_history_b_path)
    p = _trained_p_label(h)
    i = choose_point(h)
    confident = np.flatnonzero(p >= CONFIDENT)
    assert i == (int(confident[0]) if confident.size else int(np.argmax(p)))
    # Lower thresholds pick the first point above them; an impossible one falls back to the surest point.
    assert choose_point(h, threshold=0.5) == int(np.flatnonzero(p >= 0.5)[0])
    assert choose_point(h, threshold=1.01) == int(np.argmax(p))


@pytest.mark.parametrize("which", ["a", "b"])
def test_numbers_are_the_historys(which: str, fixture_history_path: Path, fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_path if which == "a" else fixture_history_b_path)
    n = forward_numbers(h)
    i = n.index
    np.testing.assert_array_equal(n.x, h.X[:, i])
    assert n.y == h.Y[0, i] and (n.m, n.n_h) == (h.m, h.hidden_units)
    for p, it in ((n.initial, 0), (n.trained, h.iterations)):
        assert p.iteration == it
        z1 = h.W1[it] @ h.X[:, i] + h.b1[it][:, 0]
        z2 = float(h.W2[it][0] @ np.tanh(z1) + h.b2[it][0, 0])
        a2 = 1 / (1 + math.exp(-z2))
        np.testing.assert_allclose(p.z1, z1, rtol=1e-12)
        np.testing.assert_allclose(p.a1, np.tanh(z1), rtol=1e-12)
        assert p.z2 == pytest.approx(z2, rel=1e-12, abs=1e-15) and p.a2 == pytest.approx(a2, rel=1e-12)
        assert p.loss == pytest.approx(-(n.y * math.log(a2) + (1 - n.y) * math.log(1 - a2)), rel=1e-9)
        assert p.cost == h.cost[it]
        assert p.max_w1 == np.abs(h.W1[it]).max() and p.max_w2 == np.abs(h.W2[it]).max()
    # The initial network guesses; the trained one gets the point right (the rule's purpose).
    assert abs(n.initial.a2 - 0.5) < 0.01
    assert n.trained.correct(n.y)
    # The facts the captions state and the picture shows, computed once.
    p0, pt = n.initial, n.trained
    assert n.label == str(int(h.Y[0, i])) and n.label_class == int(h.Y[0, i])
    assert n.weights_tiny == (max(np.abs(h.W1[0]).max(), np.abs(h.W2[0]).max()) < 0.1)
    assert n.weights_grew == (max(pt.max_w1, pt.max_w2) > max(p0.max_w1, p0.max_w2))
    assert n.initial_spread == np.abs(p0.z1).max() and n.initially_linear == (n.initial_spread < 0.2)
    assert n.starts_at_ln2 == (abs(h.cost[0] - math.log(2.0)) < 0.01)
    assert n.chosen_confidently == (pt.p_label(n.y) >= CONFIDENT)
    assert n.pass_of("initial") is p0 and n.pass_of("trained") is pt
    assert p0.is_guess and p0.prob_digits == 5


def test_diagram_fills_one_layer_at_a_time(fixture_history: History) -> None:
    h = fixture_history
    x = h.X[:, choose_point(h)]
    layered = NetworkDiagram(h, iteration=h.iterations)
    reference = NetworkDiagram(h, iteration=h.iterations).set_activations(x)
    layers: list[list[Any]] = [list(layered.input_nodes), list(layered.hidden_nodes), [layered.output_node]]
    refs: list[list[Any]] = [list(reference.input_nodes), list(reference.hidden_nodes), [reference.output_node]]
    for layer, (nodes, ref_nodes) in enumerate(zip(layers, refs, strict=True)):
        anim = cast(AnimationGroup, layered.make_layer_fill_animation(x, layer, run_time=2))
        assert anim.run_time == 2 and len(anim.animations) == len(nodes)
        # Its mobject is the diagram itself: a scene playing it adds no group on top of the labels.
        assert anim.mobject is layered
        anim.begin()
        anim.finish()
        for node, ref in zip(nodes, ref_nodes, strict=True):
            assert node.get_fill_color().to_hex() == ref.get_fill_color().to_hex()
            assert node.get_fill_opacity() == pytest.approx(ref.get_fill_opacity())
        # Later layers are still empty.
        for later in layers[layer + 1 :]:
            assert all(n.get_fill_opacity() == 0 for n in later)


def _pass(a2: float) -> Pass:
    return Pass(0, (np.zeros(3), np.zeros(1)), (np.zeros(3), np.array([a2])), 0.0, 0.0, (0.0, 0.0))


def test_verdict_tells_the_truth() -> None:
    assert verdict(_pass(0.5004), 1.0) == "a useless guess near 0.5"
    assert _pass(0.5 + GUESS_BAND / 2).judgement(0.0) == "guess" and _pass(0.5 + GUESS_BAND / 2).prob_digits == 5
    assert _pass(0.97).judgement(1.0) == "confident" and _pass(0.97).prob_digits == 3
    assert verdict(_pass(0.97), 1.0) == "a confident, correct answer"
    assert verdict(_pass(0.03), 0.0) == "a confident, correct answer"
    assert verdict(_pass(0.7), 1.0) == "correct, but not confident"
    assert verdict(_pass(0.8), 0.0).startswith("wrong")


def test_captions_narrate_every_beat_with_its_numbers(fixture_history: History) -> None:
    h = fixture_history
    n = forward_numbers(h)
    cap = captions(n)
    assert list(cap) == BEATS
    p0, pt = n.initial, n.trained
    assert f"data point {n.index + 1} of {h.m}" in cap["network"]
    assert cap["network"].startswith(f"Our 2-{h.hidden_units}-1 network, untrained: ")  # as ever, not the deep wording
    # Bounds ("at most") are rounded up, so they hold for every weight and every unit.
    largest = max(np.abs(h.W1[0]).max(), np.abs(h.W2[0]).max())
    said = caption_number(largest, 2, bound="up")
    assert f"every weight is at most {said}, so the edges are thin" in cap["network"] and float(said) >= largest
    assert f"x = ({caption_number(n.x[0])}, {caption_number(n.x[1])})" in cap["input_initial"]
    said = caption_number(np.abs(p0.z1).max(), 2, bound="up")
    assert f"|z| is at most {said}, where tanh(z) ≈ z" in cap["hidden_initial"] and float(said) >= np.abs(p0.z1).max()
    # The guess is called what it is, not read out to five digits.
    assert f"z2 = {caption_number(p0.z2)} and σ(z2): a useless guess near 0.5" in cap["output_initial"]
    assert f"After {h.iterations} iterations" in cap["trained"] and caption_number(pt.max_w1) in cap["trained"]
    # A layer's values by their range (the table shows each one).
    z_range = f"from {caption_number(pt.z1.min())} to {caption_number(pt.z1.max())}"
    a_range = f"from {caption_number(np.tanh(pt.z1).min())} to {caption_number(np.tanh(pt.z1).max())}"
    assert f"gives z {z_range}, and tanh squashes them into values {a_range}." in cap["hidden_trained"]
    assert f"σ(z2) = {caption_number(pt.a2)} for label {int(n.y)}: {verdict(pt, n.y)}." in cap["output_trained"]
    assert f"the cost J: {caption_number(h.cost[0])} at first" in cap["cost"]
    assert f", {caption_number(h.cost[-1])} after {h.iterations} iterations" in cap["cost"]
    assert f"from {caption_number(p0.loss)} to {caption_number(pt.loss)}" in cap["cost"]
    assert ("(about ln 2, the cost of always answering 0.5)" in cap["cost"]) == n.starts_at_ln2
    assert n.starts_at_ln2 == (abs(h.cost[0] - LN2) < 0.01)
    assert not re.search(r"(?<!\d)-\d", "".join(cap.values()))  # typographic minus signs, as in the other segments
    # Each caption is a spoken line (tests/test_speech.py checks every segment on more runs).
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}


def test_captions_say_so_when_the_trained_network_is_wrong(fixture_history: History) -> None:
    n = forward_numbers(fixture_history)
    wrong_label = 1.0 - n.y  # the same outputs, judged against the other label
    cap = captions(dataclasses.replace(n, y=wrong_label))
    assert "wrong: the network misclassifies this point" in cap["output_trained"]
    assert "confident, correct" not in cap["output_trained"]


# --- the renders ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders, so the second reuses the first's typeset TeX."""
    return tmp_path_factory.mktemp("forward_pass_media")


@pytest.fixture(scope="module")
def video_a(fixture_history_path: Path, media: Path) -> Path:
    run = render_scene(
        "scenes/forward_pass.py", "ForwardPass", media, "ForwardPass_a", {"NN_HISTORY": str(fixture_history_path)}
    )
    return run.mp4


@pytest.fixture(scope="module")
def run_b(fixture_history_b_path: Path, media: Path) -> SceneRun:
    """History b played without animations (``-s``): its captions, times and layout at every beat's end."""
    env = {"NN_HISTORY": str(fixture_history_b_path)}
    return render_scene("scenes/forward_pass.py", "ForwardPass", media, "ForwardPass_b", env, still=True)


@pytest.mark.render
def test_render_is_a_real_video_with_captions_and_sections(video_a: Path, fixture_history_path: Path) -> None:
    h = History.load(fixture_history_path)
    # Exactly the narration computed from the history, one caption per beat, back to back, 60-150 s;
    # a frame near the end of each beat is not blank (the diagram, the numbers, the formula are
    # drawn) on a black background.
    frames = check_captioned_video(video_a, list(captions(forward_numbers(h)).values()), min_lit=0.01, max_mean=80)
    entries = read_srt(video_a)
    assert all(end - start >= min(len(text) / 16, 60) for start, end, text in entries)  # long enough to read
    assert entries[-1][1] <= read_frames(video_a, [])[0] + 0.1
    assert min(np.abs(a - b).mean() for a, b in zip(frames, frames[1:], strict=False)) > 0.2
    # The trained edges are drawn thicker and brighter than the initial ones: the picture after
    # training ("trained" beat) differs from the untrained network ("network" beat) on the left.
    left_0, left_t = frames[0][:, :400], frames[4][:, :400]
    assert (left_t.max(axis=2) > 60).mean() > (left_0.max(axis=2) > 60).mean()

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
        n = forward_numbers(h)
        text = "\n".join(said[key])
        for expected in (
            f"data point {n.index + 1} of {h.m}",
            f"gives z from {caption_number(n.trained.z1.min())} to {caption_number(n.trained.z1.max())}",
            f"the cost J: {caption_number(h.cost[0])} at first",
            f", {caption_number(h.cost[-1])} after {h.iterations} iterations",
        ):
            assert expected in text, (key, expected)
        texts[key] = text
        assert 60.0 <= durations[key] <= 150.0
    assert texts["a"] != texts["b"]
    numbers = {k: set(re.findall(r"−?\d+\.\d+", t)) for k, t in texts.items()}
    assert numbers["a"] - numbers["b"] and numbers["b"] - numbers["a"]


@pytest.mark.render
def test_every_beat_stays_in_frame(run_b: SceneRun) -> None:
    # The bounding box of every visible piece on screen at the end of every beat, recorded while
    # the scene ran. History b has the more hidden units (taller matrices, more table rows): the harder layout.
    assert list(run_b.pieces) == BEATS
    assert_in_frame(run_b.pieces)


@pytest.mark.render
def test_key_frames_match_the_reference_stills(video_a: Path) -> None:
    # Just before the end of three beats: the untrained network, its output, the cost.
    ends = {name: end - 0.4 for name, (_, end, _) in zip(BEATS, read_srt(video_a), strict=True)}
    check_stills(video_a, "forward_pass", {k: ends[k] for k in ("network", "output_initial", "cost")})


# --- deeper networks: the course's He run and the mini-batch Adam run with a feature cross -------


@pytest.fixture(scope="module", params=list(CONFIGS))
def deep(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return request.param, history_path(tmp_path_factory, request.param)


def test_deep_numbers_walk_every_layer(deep: tuple[str, Path]) -> None:
    _, path = deep
    h = History.load(path)
    cfg, n = h.config, forward_numbers(h)
    assert n.sizes == h.sizes and n.layers == len(cfg.layers) + 1 and not n.classic
    g = {"relu": lambda z: np.maximum(z, 0.0)}[cfg.activation]
    for p, it in ((n.initial, 0), (n.trained, h.iterations)):
        # Every layer recomputed by hand (no nncore), then against nncore's own forward pass.
        a = h.X[:, n.index]
        for l in range(1, n.layers + 1):
            z = h.arrays[f"W{l}"][it] @ a + h.arrays[f"b{l}"][it][:, 0]
            a = 1 / (1 + np.exp(-z)) if l == n.layers else g(z)
            np.testing.assert_allclose(p.z[l - 1], z, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(p.a[l - 1], a, rtol=1e-12, atol=1e-14)
        trace = forward(h.X[:, [n.index]], h.net(it), cfg.activation)
        assert p.a2 == pytest.approx(float(trace.A[-1][0, 0]), rel=1e-15)
        assert p.loss == pytest.approx(-(n.y * math.log(p.a2) + (1 - n.y) * math.log(1 - p.a2)), rel=1e-9)
        assert p.cost == h.cost[it]  # with the L2 term when the run has one
        assert p.max_w == tuple(float(np.abs(h.arrays[f"W{l}"][it]).max()) for l in range(1, n.layers + 1))
    if cfg.features != ("x1", "x2"):  # the inputs are the features of the point's coordinates
        x1, x2 = n.point
        assert list(cfg.features) == ["x1", "x2", "x1*x2"]
        np.testing.assert_allclose(n.x, [x1, x2, x1 * x2], rtol=1e-12)


def test_deep_captions_say_what_the_run_is(deep: tuple[str, Path]) -> None:
    name, path = deep
    h = History.load(path)
    n = forward_numbers(h)
    cap = captions(n)
    hidden = [hidden_beat_name(w, l) for w in ("initial", "trained") for l in (1, 2)]
    assert list(cap) == [
        "network",
        "input_initial",
        *hidden[:2],
        "output_initial",
        "trained",
        *hidden[2:],
        "output_trained",
        "cost",
    ]
    text = " ".join(cap.values())
    assert (
        "two hidden layers of " + " and ".join(str(s) for s in h.config.layers) + " units with ReLU" in cap["network"]
    )
    assert "ReLU keeps a positive z and turns a negative one into 0" in cap["hidden_initial"]
    assert "The second hidden layer reads those" in cap["hidden2_initial"]
    assert f"z3 = {caption_number(n.trained.z2)}" in cap["output_trained"]
    negative = int(np.count_nonzero(n.trained.z[0] < 0))
    if 0 < negative < n.sizes[1]:
        assert f"{negative} of its {n.sizes[1]} units" in cap["hidden_trained"]
    steps = (
        f"{h.iterations} epochs of Adam on mini-batches of 64"
        if name == "moons"
        else f"{h.iterations} iterations of gradient descent"
    )
    assert steps in cap["trained"]
    assert ("plus the L2 term" in cap["cost"]) == (h.config.l2 > 0)
    assert ("Dropout acts only in training" in cap["trained"]) == (h.config.keep_prob < 1)
    if name == "moons":
        assert "the 3 inputs x1, x2 and x1 times x2" in cap["input_initial"]
    assert "tanh" not in text
    # Long captions are said in turn, a sentence at a time: each part is good narration.
    assert {
        k: caption_problems(part) for k, c in cap.items() for part in caption_parts(c) if caption_problems(part)
    } == {}


def test_deep_layout_check(deep: tuple[str, Path]) -> None:
    _, path = deep
    check = check_segment("scenes/forward_pass.py", "ForwardPass", {"NN_HISTORY": str(path)})
    assert check.problems == []
    assert check.beats[:4] == ["network", "input_initial", "hidden_initial", "hidden2_initial"]


@pytest.fixture(scope="module")
def run_deep(tmp_path_factory: pytest.TempPathFactory, media: Path) -> SceneRun:
    """The course's He run ([2, 10, 5, 1], ReLU) played without animations: its pictures at every beat's end."""
    env = {"NN_HISTORY": str(history_path(tmp_path_factory, "deep"))}
    return render_scene("scenes/forward_pass.py", "ForwardPass", media, "ForwardPass_deep", env, still=True)


@pytest.mark.render
def test_deep_key_frames_match_the_reference_stills(run_deep: SceneRun) -> None:
    # Both hidden layers of the trained pass (the ReLU graph with its zeroed units) and the output.
    beats = ("hidden_trained", "hidden2_trained", "output_trained")
    check_pictures({b: run_deep.beat_end(b) for b in beats}, "forward_pass_deep", {b: f"the end of {b}" for b in beats})
