"""The course's "Optimization Methods" notebook (Improving Deep Neural Networks, week 2), reproduced by nncore.train.

Its model: layers [2, 5, 2, 1], ReLU, sigmoid output, He-scaled weights drawn with seed 3, on
scikit-learn's moons (300 points after ``np.random.seed(3)``, noise 0.2), mini-batches of 64
reshuffled every epoch with seed 10 + epoch + 1, learning rate 0.0007, gradient descent,
momentum (beta 0.9) or Adam (0.9, 0.999, 1e-8). Two editions, the same training, printed
differently:

- 2021 (the course today): aniket414/improving-deep-neural-network,
  ``W2A1/Optimization_methods.ipynb``: 5000 epochs, "Cost after epoch N" is the epoch's average
  (every mini-batch's summed loss over m), then the accuracy. Its section 7 adds learning-rate
  decay at 0.1 (gd, momentum) and 0.01 (Adam), decay rate 1, every epoch (``update_lr``) or
  every 1000 (``schedule_lr_decay``), and prints the rate after the epoch.
- 2017: Kulbear/deep-learning-coursera, ``Improving Deep Neural Networks .../Optimization
  methods.ipynb`` (commit 997fdb2): 10,000 epochs, "Cost after epoch N" is the cost of the
  epoch's last mini-batch (44 points); its summary table gives the accuracies 79.7 %, 79.7 % and
  94 %. (That copy's own Adam run printed other costs: its solution put epsilon under the root.)

Every printed digit (6 decimals, accuracies to 16) is reproduced.
"""

from __future__ import annotations

import numpy as np
import pytest
from course_notebooks import OPTIMIZATION

from nncore import History, train
from nncore.cli import cost_lines

pytestmark = pytest.mark.course  # full notebook runs: `make test`, not `make test-fast`


EDITION_2021 = {  # epoch averages at 0, 1000, ..., 4000; accuracy after 5000 epochs
    "gd": ([0.702405, 0.668101, 0.635288, 0.600491, 0.573367], 0.7166666666666667),
    "momentum": ([0.702413, 0.668167, 0.635388, 0.600591, 0.573444], 0.7166666666666667),
    "adam": ([0.702166, 0.167845, 0.141316, 0.138788, 0.136066], 0.9433333333333334),
}
EDITION_2017 = {  # last mini-batch's cost at 0, 1000, ..., 9000; accuracy after 10,000 epochs (its summary)
    "gd": (
        [0.690736, 0.685273, 0.647072, 0.619525, 0.576584, 0.607243, 0.529403, 0.460768, 0.465586, 0.464518],
        0.797,
    ),
    "momentum": (
        [0.690741, 0.685341, 0.647145, 0.619594, 0.576665, 0.607324, 0.529476, 0.460936, 0.465780, 0.464740],
        0.797,
    ),
}
DECAY_2021 = {  # (optimizer, learning rate, decay interval): epoch averages, rates after epochs 0..4000, accuracy
    ("gd", 0.1, 1): (
        [0.701091, 0.661884, 0.658620, 0.656765, 0.655486],
        [0.1, 0.0001, 0.00005, 0.000033, 0.000025],
        0.6533333333333333,
    ),
    ("gd", 0.1, 1000): (
        [0.701091, 0.127161, 0.120304, 0.117033, 0.117512],
        [0.1, 0.05, 0.033333, 0.025, 0.02],
        0.9433333333333334,
    ),
    ("momentum", 0.1, 1000): (
        [0.702226, 0.128974, 0.125965, 0.123375, 0.123218],
        [0.1, 0.05, 0.033333, 0.025, 0.02],
        0.9533333333333334,
    ),
    ("adam", 0.01, 1000): (
        [0.699346, 0.130074, 0.129826, 0.129282, 0.128361],
        [0.01, 0.005, 0.003333, 0.0025, 0.002],
        0.94,
    ),
}


@pytest.fixture(scope="module", params=["gd", "momentum", "adam"])
def run(request: pytest.FixtureRequest) -> tuple[str, History]:
    """Each optimiser's run: 10,000 epochs for the two the 2017 edition prints in full, 5000 for Adam."""
    epochs = 5000 if request.param == "adam" else 10_000
    return request.param, train(OPTIMIZATION.replace(optimizer=request.param, iterations=epochs))


def test_the_2021_editions_epoch_averages_and_accuracies(run: tuple[str, History]) -> None:
    optimizer, h = run
    costs, accuracy = EDITION_2021[optimizer]
    assert [f"{h.course_cost(e):f}" for e in range(0, 5000, 1000)] == [f"{c:f}" for c in costs]
    assert float(h.accuracy[5000]) == accuracy
    assert cost_lines(h)[:5] == [
        f"Cost after epoch {e}: {c:f}" for e, c in zip(range(0, 5000, 1000), costs, strict=True)
    ]


def test_the_2017_editions_last_mini_batch_costs_and_accuracies(run: tuple[str, History]) -> None:
    optimizer, h = run
    if optimizer not in EDITION_2017:
        assert round(float(h.accuracy[-1]), 2) == 0.94  # the 2017 summary's Adam, at 5000 epochs already
        return
    costs, accuracy = EDITION_2017[optimizer]
    B = h.batches_per_epoch
    assert B == 5 and len(h.batch(B - 1)) == 44
    assert [f"{h.batch_cost[e * B + B - 1]:f}" for e in range(0, 10_000, 1000)] == [f"{c:f}" for c in costs]
    assert round(float(h.accuracy[10_000]), 3) == accuracy


def test_the_optimisers_state_is_recorded(run: tuple[str, History]) -> None:
    optimizer, h = run
    assert h.updates == 5 * h.epochs and h.batch_order.shape == (h.epochs, 300) and h.batch_cost.shape == (h.updates,)
    if optimizer == "adam":
        assert h.adam_t[1] == 5 and h.adam_correction1[1] == 1 - 0.9**6 and h.sdW3.shape == h.W3.shape
    if optimizer == "momentum":
        assert not h.vdW1[0].any() and h.vdW1[1].any() and "sdW1" not in h.arrays
    if optimizer == "gd":
        assert "vdW1" not in h.arrays


@pytest.mark.parametrize(("optimizer", "rate", "interval"), list(DECAY_2021))
def test_the_2021_editions_learning_rate_decay(optimizer: str, rate: float, interval: int) -> None:
    """Section 7: decay rate 1 every epoch (update_lr) or every 1000 epochs (schedule_lr_decay), 5000 epochs."""
    cfg = OPTIMIZATION.replace(
        optimizer=optimizer, learning_rate=rate, decay_rate=1.0, decay_interval=interval, iterations=5000
    )
    h = train(cfg)
    costs, rates, accuracy = DECAY_2021[(optimizer, rate, interval)]
    epochs = range(0, 5000, 1000)
    assert [f"{h.course_cost(e):f}" for e in epochs] == [f"{c:f}" for c in costs]
    # "learning rate after epoch e": the rate the course sets after epoch e, which epoch e + 1 runs at
    assert [f"{h.learning_rates[e + 1]:f}" for e in epochs] == [f"{r:f}" for r in rates]
    assert float(h.accuracy[-1]) == accuracy
    assert np.all(np.diff(h.learning_rates) <= 0)
