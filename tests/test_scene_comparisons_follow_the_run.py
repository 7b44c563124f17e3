"""The comparison chapters on a deep ReLU lecture: the course's two configurations as the sweeps' base.

``media_config/sweeps.toml``, based on ``course_initialization.toml`` ([2, 10, 5, 1] ReLU, He, gradient
descent) and on ``moons_adam_l2_dropout.toml`` (Adam on mini-batches of 64, L2, dropout, the
feature x1*x2), each shortened: the hidden-size sweep stays the course's experiment (one hidden
tanh layer on x1, x2 by gradient descent) and says it is not the lecture's network; the data-set
sweep trains 4 tanh units with the lecture's optimiser and says both; the learning-rate sweep is
the lecture's own network and names it. The two pinned chapters pass the layout check.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scene_checks import environment, write_sweeps

from nncore import load_config
from nncore.paths import SWEEP_BASE_ENV, SWEEP_DIR_ENV, SWEEPS_ENV
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.comparison import lecture_config, not_the_lecture
from scenes.common.format import caption_number
from scenes.common.layout_check import check_segment
from voice.spoken import caption_problems

ROOT = Path(__file__).resolve().parents[1]

SHORTER = {"course_initialization": (40, 100), "moons_adam_l2_dropout": (4, 120)}
"""Each configuration's iterations (epochs) and points, shortened."""


def base_toml(name: str) -> str:
    """The shipped configuration ``name``, with its iterations and points shortened."""
    text = (ROOT / "media_config" / f"{name}.toml").read_text()
    iterations, points = SHORTER[name]
    text = re.sub(r"(?m)^iterations = \d+", f"iterations = {iterations}", text)
    return re.sub(r"(?m)^points = \d+", f"points = {points}", text)


def sweeps_toml() -> str:
    """``media_config/sweeps.toml`` without its base line, the hidden-size runs 60 iterations long."""
    text = (ROOT / "media_config/sweeps.toml").read_text()
    text = re.sub(r'(?m)^base = "lecture.toml".*$', "", text)
    return text.replace("iterations = 5000", "iterations = 60")


@pytest.fixture(scope="module", params=sorted(SHORTER))
def lecture(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a lecture built from a course configuration: its sweeps based on it."""
    folder = tmp_path_factory.mktemp(request.param)
    path = write_sweeps(folder, sweeps_toml(), base_toml(request.param))
    return {SWEEPS_ENV: str(path), SWEEP_DIR_ENV: str(folder / "out"), SWEEP_BASE_ENV: str(folder / "base.toml")}


def entries(env: dict[str, str], name: str) -> list[SweepEntry]:
    with environment(env):
        return load_sweep(name)


def test_the_pinned_sweeps_are_the_courses_network_and_say_so(lecture: dict[str, str]) -> None:
    from scenes.datasets import captions as dataset_captions
    from scenes.datasets import dataset_numbers
    from scenes.hidden_sizes import captions as size_captions
    from scenes.hidden_sizes import sweep_numbers

    base = load_config(lecture[SWEEP_BASE_ENV])
    with environment(lecture):
        assert lecture_config() == base
    with environment({SWEEPS_ENV: lecture[SWEEPS_ENV]}):  # without $NN_SWEEP_BASE: the sweeps file's own base
        assert lecture_config() == base
    sizes = entries(lecture, "hidden_sizes")
    for e in sizes:
        c = e.config
        assert (c.layers, c.activation, c.features, c.optimizer, c.l2, c.keep_prob) == (
            (e.value,),
            "tanh",
            ("x1", "x2"),
            "gd",
            0.0,
            1.0,
        )
        assert c.batch_size is None and c.is_course_week3  # reset = ["train.batch_size"]: the course's full batch
    with environment(lecture):
        n = sweep_numbers([e.history for e in sizes if e.history is not None])
    setup = size_captions(n)["setup"]
    assert "Not this lecture's network: as in the course, one hidden layer of tanh units on x1 and x2." in setup
    assert n.unit == "iteration" and "60 iterations each" in setup and "learns by" not in setup

    sets = entries(lecture, "datasets")
    for e in sets:
        c = e.config
        assert (c.layers, c.activation, c.features) == ((4,), "tanh", ("x1", "x2"))
        assert (c.optimizer, c.batch_size, c.l2, c.keep_prob, c.learning_rate) == (
            base.optimizer,
            base.batch_size,
            base.l2,
            base.keep_prob,
            base.learning_rate,
        )
    with environment(lecture):
        cap = dataset_captions(dataset_numbers(sets))
    assert cap["sets"].startswith("The same network, 4 hidden units, learning rate ")
    assert "Not this lecture's network: as in the course, one hidden layer of 4 tanh units on x1 and x2." in cap["sets"]
    if base.optimizer == "adam":
        assert (
            "Each learns by Adam on mini-batches of 64, with L2 regularisation (lambda 0.05) and dropout "
            "keeping 90 % of the hidden units." in cap["sets"]
        )
    for text in (*size_captions(n).values(), *cap.values()):
        for sentence in re.split(r"(?<=\.) ", text):  # a long caption is said a sentence at a time
            assert caption_problems(sentence) == [], sentence


def test_the_learning_rates_are_the_lectures_network_and_name_it(lecture: dict[str, str]) -> None:
    from scenes.learning_rates import captions, rate_numbers

    base = load_config(lecture[SWEEP_BASE_ENV])
    runs = entries(lecture, "learning_rates")
    assert all((e.config.layers, e.config.activation) == (base.layers, "relu") for e in runs)
    n = rate_numbers(runs)
    cap = captions(n)
    a, b = base.layers
    assert cap["runs"].startswith(f"The same network, two hidden layers of {a} and {b} ReLU units on the ")
    assert n.unit == ("iteration" if base.batch_size is None else "epoch")
    assert f" {base.iterations} {n.unit}s at 5 learning rates" in cap["runs"]
    if base.optimizer == "adam":
        assert "Every run learns by Adam on mini-batches of 64, with L2 regularisation" in cap["runs"]
    assert not_the_lecture(runs[0].config, base) == ""

    # "predicting one class for every point": each final network's outputs, computed here layer by layer
    for r, e in zip(n.runs, runs, strict=True):
        assert e.history is not None
        net, act = e.history.net(e.history.iterations), e.history.X
        for layer, (W, bias) in enumerate(zip(net.W, net.b, strict=True), 1):
            z = W @ act + bias
            act = np.maximum(z, 0) if layer < len(net.W) else 1 / (1 + np.exp(-z))  # ReLU, then the sigmoid
        assert r.one_class == bool(np.all(act > 0.5) or np.all(act <= 0.5))
    lowest, top = n.least_accurate_runs, n.top_accuracy
    assert top is not None
    one = "predicting one class for every point" in cap["verdict"]
    for r in n.pick(n.zigzag):  # a run that settles into one class is said to
        assert (f"settles at {caption_number(r.costT)}, giving every point one class." in cap["zigzag"]) == r.one_class
    assert one == (n.runs[lowest[0]].accT < top and all(n.runs[j].one_class for j in lowest))


@pytest.mark.parametrize(
    ("file", "cls"), [("scenes/hidden_sizes.py", "HiddenSizes"), ("scenes/datasets.py", "Datasets")]
)
def test_the_pinned_chapters_fit_the_frame(lecture: dict[str, str], file: str, cls: str) -> None:
    entries(lecture, "hidden_sizes" if cls == "HiddenSizes" else "datasets")  # trained once, here
    check = check_segment(file, cls, lecture)
    assert check.beats and check.problems == []


def test_a_sweep_of_another_network_is_refused_by_the_hidden_size_chapter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sweeps file that lets the hidden-size runs be ReLU gets one line and exit code 2, not a tanh picture."""
    text = sweeps_toml().replace('activation = "tanh"\n', "", 1)
    path = write_sweeps(tmp_path, text, base_toml("course_initialization"))
    env = {SWEEPS_ENV: str(path), SWEEP_DIR_ENV: str(tmp_path / "out"), SWEEP_BASE_ENV: str(tmp_path / "base.toml")}
    from scenes.hidden_sizes import read_sweep

    with environment(env), pytest.raises(SystemExit) as stop:
        read_sweep()
    assert stop.value.code == 2
    assert "is not one hidden tanh layer on x1, x2" in capsys.readouterr().err


def test_a_sweep_resets_a_key_to_its_default_and_refuses_a_bad_reset(tmp_path: Path) -> None:
    """``reset`` takes a key at its default whatever the base sets; a bad one is one line naming it."""
    from nncore import ConfigError
    from nncore.sweeps_file import load_sweeps

    base = base_toml("moons_adam_l2_dropout")
    sweep = '[sweeps.s]\nvary = "model.hidden_units"\nvalues = [2, 3]\nreset = ["train.batch_size", "train.l2"]\n'
    configs = [v.config for v in load_sweeps(write_sweeps(tmp_path, sweep, base))["s"].variations]
    assert [(c.batch_size, c.l2, c.optimizer, c.keep_prob) for c in configs] == [(None, 0.0, "adam", 0.9)] * 2
    for bad, says in (
        ('reset = ["train.batchsize"]', "reset must be an array of config keys"),
        ('reset = "train.batch_size"', "reset must be an array of config keys"),
        ('reset = ["model.hidden_units"]', "reset names model.hidden_units, which the sweep also sets"),
    ):
        text = f'[sweeps.s]\nvary = "model.hidden_units"\nvalues = [2, 3]\n{bad}\n'
        with pytest.raises(ConfigError, match=says) as err:
            load_sweeps(write_sweeps(tmp_path / "bad", text, base))
        assert "\n" not in str(err.value) and "[sweeps.s]" in str(err.value)
