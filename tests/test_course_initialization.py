"""The course's "Initialization" notebook (Improving Deep Neural Networks, week 1), reproduced by nncore.train.

Its model: layers [2, 10, 5, 1], ReLU, sigmoid output, batch gradient descent at 0.01 for 15,000
iterations, the weights drawn with seed 3 (zeros, randn x 10, He's randn x sqrt(2 / n_prev)), on
scikit-learn's circles: 300 training points after ``np.random.seed(1)``, 100 test points after
``np.random.seed(2)``, noise 0.05, the default factor 0.8. It prints the cost every 1000
iterations, then the training and test accuracies.

Two published editions, as the course's servers ran them, disagree in the last digits with each
other (their BLAS and NumPy differ, and so do ours):

- 2021: aniket414/improving-deep-neural-network, ``W1A1/Initialization.ipynb``;
- 2018: Kulbear/deep-learning-coursera, ``Improving Deep Neural Networks Hyperparameter tuning,
  Regularization and Optimization/Initialization.ipynb`` (commit c748d75).

He's run is stable: every printed cost agrees with both to a few units in the last place (the
editions differ from each other by up to 4). The random run saturates its output from the first
iteration (the cost is infinite, printed as ``inf``, and is recorded here as it is); from there
rounding differences grow, and its costs agree with the editions to within 1 % (they differ from
each other by 0.4 %), its accuracies exactly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from course_notebooks import INITIALIZATION

from nncore import History, train
from nncore.cli import cost_lines

pytestmark = pytest.mark.course  # full notebook runs: `make test`, not `make test-fast`

INF = math.inf

PUBLISHED = {  # "Cost after iteration 0, 1000, ..., 14000", then the training and test accuracies
    "he": {
        "2021": (
            [
                0.8830537463419761,
                0.6879825919728063,
                0.6751286264523371,
                0.6526117768893805,
                0.6082958970572938,
                0.5304944491717495,
                0.4138645817071794,
                0.3117803464844441,
                0.23696215330322562,
                0.1859728720920684,
                0.15015556280371808,
                0.12325079292273551,
                0.09917746546525937,
                0.08457055954024283,
                0.07357895962677366,
            ],
            0.9933333333333333,
            0.96,
        ),
        "2018": (
            [
                0.8830537463419761,
                0.6879825919728063,
                0.6751286264523371,
                0.6526117768893807,
                0.6082958970572938,
                0.5304944491717495,
                0.4138645817071794,
                0.3117803464844441,
                0.23696215330322562,
                0.18597287209206836,
                0.1501555628037182,
                0.12325079292273548,
                0.09917746546525937,
                0.0845705595402428,
                0.07357895962677366,
            ],
            0.993333333333,  # printed with 12 digits
            0.96,
        ),
    },
    "random": {
        "2021": (
            [
                INF,
                0.6247924745506072,
                0.5980258056061102,
                0.5637539062842213,
                0.5501256393526495,
                0.5443826306793814,
                0.5373895855049121,
                0.47157999220550006,
                0.39770475516243037,
                0.3934560146692851,
                0.3920227137490125,
                0.38913700035966736,
                0.3861358766546214,
                0.38497629552893475,
                0.38276694641706693,
            ],
            0.83,
            0.86,
        ),
        "2018": (
            [
                INF,
                0.6237287551108738,
                0.5981106708339466,
                0.5638353726276827,
                0.550152614449184,
                0.5444235275228304,
                0.5374184054630083,
                0.47357131493578297,
                0.39775634899580387,
                0.3934632865981078,
                0.39202525076484457,
                0.38921493051297673,
                0.38614221789840486,
                0.38497849983013926,
                0.38278397192120406,
            ],
            0.83,
            0.86,
        ),
    },
    "zeros": {  # both editions: log 2 every time, 0.6931471805599455 at iteration 10000 (a last-bit wobble)
        "2021": ([0.6931471805599453] * 10 + [0.6931471805599455] + [0.6931471805599453] * 4, 0.5, 0.5),
        "2018": ([0.6931471805599453] * 10 + [0.6931471805599455] + [0.6931471805599453] * 4, 0.5, 0.5),
    },
}


def _ulps(a: float, b: float) -> int:
    """How many doubles lie between ``a`` and ``b`` (both positive): units in the last place."""
    return abs(int(np.float64(a).view(np.int64)) - int(np.float64(b).view(np.int64)))


@pytest.fixture(scope="module", params=["zeros", "random", "he"])
def run(request: pytest.FixtureRequest) -> tuple[str, History]:
    return request.param, train(INITIALIZATION.replace(init=request.param))


@pytest.mark.parametrize("edition", ["2021", "2018"])
def test_printed_costs_and_accuracies(run: tuple[str, History], edition: str) -> None:
    init, h = run
    costs, train_acc, test_acc = PUBLISHED[init][edition]
    ours = [float(h.cost[i]) for i in range(0, 15_000, 1000)]
    if init == "random":
        assert ours[0] == INF
        np.testing.assert_allclose(ours[1:], costs[1:], rtol=1e-2)
    else:
        assert max(_ulps(a, b) for a, b in zip(ours, costs, strict=True)) <= 8, (ours, costs)
    assert round(float(h.accuracy[-1]), 12) == round(train_acc, 12)
    assert float(h.test_accuracy[-1]) == test_acc


def test_the_cli_prints_the_notebooks_lines(run: tuple[str, History]) -> None:
    init, h = run
    lines = cost_lines(h)
    assert len(lines) == 15 and lines[1].startswith("Cost after iteration 1000: 0.")
    if init == "random":
        assert lines[0] == "Cost after iteration 0: inf"
    if init == "he":
        assert lines[0] == "Cost after iteration 0: 0.8830537463419761"
        assert lines[14] == "Cost after iteration 14000: 0.07357895962677366"


def test_the_random_runs_first_cost_is_infinite_and_the_curve_goes_on(run: tuple[str, History]) -> None:
    init, h = run
    if init != "random":
        assert np.isfinite(h.cost).all()
        return
    infinite = np.flatnonzero(np.isinf(h.cost))  # the output stays saturated, on and off, for a few hundred
    assert infinite[0] == 0 and 0 < infinite[-1] < 1000 and not np.isnan(h.cost).any()
    assert np.isfinite(h.W1).all() and np.isfinite(h.dW1).all()  # saturated, not diverged
