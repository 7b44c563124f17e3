"""The shared scene pieces: diagram structure, matrix helpers, palette, history loading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from manim import AnimationGroup, Circle, Line, ManimColor
from manim.utils.color import ParsableManimColor

from nncore import History, TrainConfig, train
from scenes.common.colors import probability_rgb
from scenes.common.format import fmt, tex_number
from scenes.common.matrix import ValueMatrix
from scenes.common.network import NetworkDiagram
from scenes.common.palette import NEGATIVE, POSITIVE, value_color, value_width

from conftest import FIXTURE_CONFIG

ROOT = Path(__file__).resolve().parents[1]


def _rgb(c: ParsableManimColor | None) -> np.ndarray:
    return np.array(ManimColor(c).to_rgb())


def test_diagram_structure_and_weights(fixture_history: History) -> None:
    h = fixture_history
    d = NetworkDiagram(h, iteration=h.iterations)
    n_h = FIXTURE_CONFIG.hidden_units
    assert len(d.input_nodes) == 2 and len(d.hidden_nodes) == n_h
    assert len(d.edges_1) == 2 * n_h and len(d.edges_2) == n_h
    W1, W2 = h.W1[-1], h.W2[-1]
    for u in range(n_h):
        for k in range(2):
            edge = cast(Line, d.edge_1(u, k))
            expected = POSITIVE if W1[u, k] > 0 else NEGATIVE
            # The colour leans to the sign's colour, and width grows with |w|.
            assert np.dot(_rgb(edge.get_stroke_color()) - _rgb("#5A5A5A"), _rgb(expected) - _rgb("#5A5A5A")) > 0
            assert edge.get_stroke_width() == pytest.approx(value_width(W1[u, k], d.scale_1))
        assert cast(Line, d.edge_2(u)).get_stroke_width() == pytest.approx(value_width(W2[0, u], d.scale_2))
    # The largest |W2| of the run gets the widest edge of the layer.
    widths = [cast(Line, d.edge_2(u)).get_stroke_width() for u in range(n_h)]
    assert int(np.argmax(widths)) == int(np.argmax(np.abs(W2[0])))


def test_a_copied_diagram_shares_its_history(fixture_history: History) -> None:
    # Every fade and transform copies its mobject; a copy that copied the run it draws took a layout
    # check of a long mini-batch run to 20 GB (the fifteenth long search).
    d = NetworkDiagram(fixture_history, iteration=0)
    copied = d.copy()
    assert copied.history is fixture_history
    assert copied.edges_2[0] is not d.edges_2[0]  # the picture is copied, the record is not


def test_diagram_changes_with_iteration(fixture_history: History) -> None:
    d = NetworkDiagram(fixture_history, iteration=0)
    before = [e.get_stroke_width() for e in d.edges_2]
    d.set_iteration(fixture_history.iterations)
    after = [e.get_stroke_width() for e in d.edges_2]
    assert d.iteration == fixture_history.iterations
    assert before != after
    # Initial weights are ~0.01: thin edges; trained ones are wider.
    assert max(before) < max(after)


def test_diagram_animation_targets_the_iteration(fixture_history: History) -> None:
    d = NetworkDiagram(fixture_history, iteration=0)
    anim = cast(AnimationGroup, d.make_iteration_animation(fixture_history.iterations, run_time=2))
    assert anim.run_time == 2
    assert d.iteration == fixture_history.iterations
    assert len(anim.animations) == len(d.edges_1) + len(d.edges_2)


def test_diagram_activations_match_forward(fixture_history: History) -> None:
    h = fixture_history
    d = NetworkDiagram(h, iteration=h.iterations)
    x = h.X[:, 5]
    z1, a1, z2, a2 = d.activations(x)
    np.testing.assert_allclose(a1, np.tanh(h.W1[-1] @ x + h.b1[-1][:, 0]))
    assert a2 == pytest.approx(1 / (1 + np.exp(-z2)))
    d.set_activations(x)
    for u in range(h.hidden_units):
        node = cast(Circle, d.hidden_node(u))
        assert node.get_fill_opacity() > 0.5
        assert node.get_fill_color() == value_color(a1[u], 1.0)


def test_diagram_compresses_many_hidden_units() -> None:
    h = train(TrainConfig(hidden_units=50, iterations=3))
    d = NetworkDiagram(h, max_hidden_shown=9)
    assert d.compressed and len(d.hidden_nodes) == 8
    assert d.shown_units == [0, 1, 2, 3, 46, 47, 48, 49]
    assert d.hidden_node(10) is None and d.edge_2(49) is not None
    assert d.height < 8 and d.width < 14  # fits the frame
    # Nodes do not touch each other.
    ys = sorted(n.get_y() for n in d.hidden_nodes)
    assert min(np.diff(ys)) > 2 * d.node_radius


def test_value_labels_show_real_weights(fixture_history: History) -> None:
    d = NetworkDiagram(fixture_history, iteration=fixture_history.iterations)
    labels = d.make_value_labels(2)
    assert len(labels) == fixture_history.hidden_units
    expected = [tex_number(w) for w in fixture_history.W2[-1][0]]
    assert [lab[1].tex_string for lab in labels] == expected  # [0] is the background rectangle
    with pytest.raises(ValueError):
        d.make_value_labels(3)


def test_value_matrix_elides_but_tells_the_shape(fixture_history: History) -> None:
    X = fixture_history.X
    m = ValueMatrix(X, max_cols=4)
    assert m.shown_cols == 3
    assert m.shape_tex.tex_string == r"2 \times 400"
    assert m.entry(0, 0).tex_string == tex_number(X[0, 0])
    assert m.row(1)[-1].tex_string == r"\cdots"
    with pytest.raises(IndexError):
        m.entry(0, 5)
    assert m.highlight_entry(1, 2).width > m.entry(1, 2).width
    # Columns never overlap, however long the numbers.
    row = m.row(0)
    for a, b in zip(row[:-1], row[1:], strict=True):
        assert a.get_right()[0] < b.get_left()[0]


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.2044424, "1.20"), (-0.0123456, "-0.0123"), (0.693048, "0.693"), (12.3456, "12.3"), (1.234e-6, "1.23e-6")],
)
def test_fmt(value: float, text: str) -> None:
    assert fmt(value) == text


def test_palette_signs_and_probabilities() -> None:
    assert value_color(1.0, 1.0) == POSITIVE and value_color(-1.0, 1.0) == NEGATIVE
    assert value_width(0.0, 1.0) < value_width(0.5, 1.0) < value_width(5.0, 1.0) == value_width(1.0, 1.0)
    rgb = probability_rgb(np.array([[0.0, 0.5, 1.0]]))
    assert rgb.shape == (1, 3, 3) and rgb.dtype == np.uint8
    red, mid, blue = rgb[0].astype(int)
    assert red[0] > red[2] and blue[2] > blue[0] and mid.sum() < red.sum() and mid.sum() < blue.sum()


def _load_in_subprocess(env_path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "from scenes.common.history import load_history; h = load_history(); print(h.hidden_units, h.iterations)"
    env = {"PATH": "/usr/bin:/bin", "NN_HISTORY": env_path, "HOME": str(cwd)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_load_history_honours_env(fixture_history_path: Path, tmp_path: Path) -> None:
    r = _load_in_subprocess(str(fixture_history_path), ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(FIXTURE_CONFIG.hidden_units), str(FIXTURE_CONFIG.iterations)]


def test_load_history_bad_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_text("garbage")
    r = _load_in_subprocess(str(bad), ROOT)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and str(bad) in r.stderr


def test_load_history_trains_for_the_lecture_config(tmp_path: Path) -> None:
    (tmp_path / "media_config").mkdir()
    (tmp_path / "media_config" / "lecture.toml").write_text("[model]\nhidden_units = 2\n[train]\niterations = 20\n")
    code = "from scenes.common.history import load_history; h = load_history(); print(h.hidden_units, h.iterations)"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = [sys.executable, "-c", code]
    r = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["2", "20"] and (tmp_path / "build" / "history.npz").exists()
    assert "trained" in r.stderr
    # Same config again: reused, not retrained.
    r2 = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert r2.returncode == 0 and "trained" not in r2.stderr
    # Another config: retrained.
    (tmp_path / "media_config" / "lecture.toml").write_text("[model]\nhidden_units = 3\n[train]\niterations = 20\n")
    r3 = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert r3.stdout.split() == ["3", "20"] and "trained" in r3.stderr


def test_diagram_animations_keep_the_drawing_order(fixture_history: History, tmp_path: Path) -> None:
    from manim import Scene, tempconfig

    # play the animations, write nothing (and create manim's folders in tmp_path, not the cwd)
    with tempconfig({"dry_run": True, "media_dir": str(tmp_path)}):
        scene = Scene()
        d = NetworkDiagram(fixture_history, iteration=0)
        scene.add(d)
        for anim in (
            d.make_iteration_animation(fixture_history.iterations),
            d.make_activation_animation(fixture_history.X[:, 0]),
            d.make_clear_activations_animation(),
        ):
            assert anim.mobject is d
            scene.play(anim, run_time=0.1)
    # Only the diagram is on the scene: nothing was added on top of its labels.
    assert scene.mobjects == [d]


def test_copies_of_formulas_share_their_parsed_svg_and_nothing_else() -> None:
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    from scenes.common import svg_copies
    from scenes.common.tex import formula

    f = formula(r"dZ^{[1]} = W^{[2]}{}^{T} dZ^{[2]} \ast \big(1 - (A^{[1]})^{2}\big)")
    glyphs = [m for m in f.get_family() if isinstance(m, VMobjectFromSVGPath)]
    assert glyphs

    def drawn(mob: object) -> list[tuple]:
        """What the camera draws from: every family member's points, fill and stroke."""
        return [
            (m.points.tobytes(), m.fill_rgbas.tobytes(), m.stroke_rgbas.tobytes(), m.stroke_width)
            for m in mob.get_family()  # type: ignore[attr-defined]
        ]

    try:
        svg_copies.uninstall()
        plain = f.copy()
        assert svg_copies.install()
        shared = f.copy()
    finally:
        svg_copies.install()  # as every narrated scene leaves it
    assert drawn(plain) == drawn(shared) == drawn(f)
    copies = [m for m in shared.get_family() if isinstance(m, VMobjectFromSVGPath)]
    assert all(c.path_obj is g.path_obj for c, g in zip(copies, glyphs, strict=True))
    assert all(c is not g and c.points is not g.points for c, g in zip(copies, glyphs, strict=True))
    plain_copies = [m for m in plain.get_family() if isinstance(m, VMobjectFromSVGPath)]
    assert all(c.path_obj is not g.path_obj for c, g in zip(plain_copies, glyphs, strict=True))  # manim's own
    # A copy is still independent: moving it leaves the original where it was.
    before = f.get_center().copy()
    shared.shift((1.0, 0.0, 0.0))
    np.testing.assert_array_equal(f.get_center(), before)


def test_model_text_names_each_run_as_its_config_says() -> None:
    from nncore import TrainConfig
    from nncore.config import ACTIVATIONS as TRAINED
    from scenes.common.model_text import ACTIVATIONS, run_phrase

    assert set(ACTIVATIONS) == set(TRAINED), "every activation nncore trains has a name and formulas"
    assert (
        run_phrase(TrainConfig())
        == "a network with one hidden layer of 4 tanh units, trained by full-batch gradient descent"
    )
    deep = TrainConfig(
        hidden_layers=(10, 5), activation="relu", optimizer="adam", batch_size=64, l2=0.05, keep_prob=0.9
    )
    assert run_phrase(deep) == (
        "a network with two hidden layers of 10 and 5 units (ReLU), trained by Adam on mini-batches of 64, "
        "with L2 regularisation (lambda 0.05) and dropout keeping 90 % of the hidden units"
    )
    assert "one hidden layer of 1 unit (sigmoid)," in run_phrase(TrainConfig(hidden_units=1, activation="sigmoid"))


def test_the_longest_run_the_core_accepts_is_said_in_caption_lines() -> None:
    """A layer of one unit among others is said by sizes, and the widest, most regularised run's
    network and learning still fit one caption line each (the title and the summary say them as
    two sentences), numbers and counts as a listener hears them."""
    from nncore import TrainConfig
    from nncore.config import MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS, MAX_POINTS
    from scenes.common.model_text import hidden_layer_words, learning_phrase, network_phrase, units_words
    from voice.spoken import MAX_CAPTION_CHARS, caption_problems

    ones = TrainConfig(hidden_layers=(100, 1, 1, 1), activation="relu")
    assert hidden_layer_words(ones) == "four hidden layers of sizes 100, 1, 1 and 1"
    assert units_words(ones) == "four hidden ReLU layers of sizes 100, 1, 1 and 1"
    assert (
        units_words(TrainConfig(hidden_layers=(8, 3), activation="relu")) == "two hidden layers of 8 and 3 ReLU units"
    )
    widest = TrainConfig(
        dataset="gaussian_quantiles",
        points=MAX_POINTS,
        hidden_layers=(MAX_HIDDEN_UNITS,) * MAX_HIDDEN_LAYERS,
        activation="leaky_relu",
        batch_size=MAX_POINTS,
        l2=0.000123,
        keep_prob=0.555,
    )
    said = [f"That was {network_phrase(widest)}.", f"It learned by {learning_phrase(widest)}."]
    assert said[1] == (
        "It learned by gradient descent on mini-batches of 10000, with L2 regularisation (lambda 0.000123) "
        "and dropout keeping 55.5 % of the hidden units."
    )
    assert all(len(s) <= MAX_CAPTION_CHARS for s in said), [len(s) for s in said]
    assert [caption_problems(s) for s in said] == [[], []]
