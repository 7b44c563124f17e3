"""The opening card and the closing summary say what the run is: its network, its training, its test set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from deep_histories import CONFIGS, history_path

from nncore import History
from scenes.common.colors import probability_rgb
from scenes.common.format import caption_percent
from scenes.common.layout_check import check_segment
from scenes.common.model_text import learning_phrase, network_phrase
from scenes.summary import RASTER, decision_image
from scenes.summary import captions as summary_captions
from scenes.title_card import captions as title_captions
from scenes.title_card import classic, data_points, held_out_accuracy, run_facts
from voice.spoken import caption_parts, caption_problems


@pytest.fixture(scope="module", params=list(CONFIGS))
def deep_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return request.param, history_path(tmp_path_factory, request.param)


@pytest.fixture(scope="module")
def deep(deep_path: tuple[str, Path]) -> tuple[str, History]:
    return deep_path[0], History.load(deep_path[1])


def test_the_default_run_is_told_as_before(fixture_history: History) -> None:
    h = fixture_history
    assert classic(h) and held_out_accuracy(h) is None
    assert [label for label, _ in run_facts(h)] == [
        "data set",
        "network",
        "learning rate",
        "iterations",
        "final cost",
        "accuracy",
    ]
    assert run_facts(h)[1][1] == f"2 inputs → {h.hidden_units} tanh → 1 sigmoid"
    assert "hidden unit" in title_captions(h)["the_run"]
    assert summary_captions(h)["the_loop"].startswith("Each iteration ran the same four steps")


def test_deep_runs_say_what_they_are(deep: tuple[str, History]) -> None:
    name, h = deep
    cfg = h.config
    assert not classic(h)
    facts = dict(run_facts(h))
    assert facts["network"].endswith(" → ".join(f"{n} ReLU" for n in cfg.layers) + " → 1 sigmoid")
    m_test = h.X_test.shape[1]
    assert facts["test accuracy"] == f"{100 * h.test_accuracy[-1]:.2f} % of {m_test} held-out points"
    title, summary = title_captions(h), summary_captions(h)
    network, learning = network_phrase(cfg), learning_phrase(cfg)
    assert network[1:] in title["the_run"] and f"It learns by {learning};" in title["the_run"]
    assert f"That was {network}. It learned by {learning}." in summary["the_loop"]
    said = f"{caption_percent(h.test_accuracy[-1])} of the {m_test} test points"
    assert said in title["the_result"] and said in summary["decision_regions"]
    assert caption_percent(h.accuracy[-1]) in title["the_result"]
    if name == "moons":
        assert facts["epochs"] == f"{h.iterations} of Adam on mini-batches of 64"
        assert facts["regularisation"] == "L2 λ = 0.05, dropout, keep_prob 0.9"
        assert "Its inputs are x1, x2 and x1 times x2." in title["the_run"]
        assert f"Over {h.iterations} epochs" in summary["cost"]
    every = [*title.values(), *summary.values()]
    assert [p for c in every for p in caption_parts(c) if caption_problems(p)] == []


def test_deep_decision_regions_are_the_final_networks(deep: tuple[str, History]) -> None:
    _, h = deep
    _, centre, scale = data_points(h, size=4.3)
    image = decision_image(h, centre, scale, 4.3)
    # The grid's probability by hand: its features, then every layer (ReLU, sigmoid output), no nncore.
    half = 4.3 / 2 / scale
    gx, gy = np.meshgrid(
        np.linspace(centre[0] - half, centre[0] + half, RASTER), np.linspace(centre[1] - half, centre[1] + half, RASTER)
    )
    x1, x2 = gx.ravel(), gy.ravel()
    by_name = {"x1": x1, "x2": x2, "x1*x2": x1 * x2}
    A = np.vstack([by_name[f] for f in h.config.features])
    for l in range(1, h.layers + 1):
        Z = h.arrays[f"W{l}"][-1] @ A + h.arrays[f"b{l}"][-1]
        A = 1 / (1 + np.exp(-Z)) if l == h.layers else np.maximum(Z, 0.0)
    expected = probability_rgb(A.reshape(gy.shape)[::-1])
    assert np.abs(image.astype(int) - expected.astype(int)).max() <= 1  # the last bit may round either way


@pytest.mark.parametrize("scene", [("scenes/title_card.py", "TitleCard"), ("scenes/summary.py", "Summary")])
def test_deep_layout_check(deep_path: tuple[str, Path], scene: tuple[str, str]) -> None:
    check = check_segment(scene[0], scene[1], {"NN_HISTORY": str(deep_path[1])})
    assert check.problems == [] and len(check.beats) == 3
