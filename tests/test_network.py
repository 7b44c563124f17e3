"""The L-layer network and the update rules against independent oracles: finite differences and the course.

Published values come from the course's notebooks as run by the course and kept in public copies:

- "Building your Deep Neural Network: Step by Step" (Neural Networks and Deep Learning, week 4),
  v8a, in amanchadha/coursera-deep-learning-specialization (``C1 - Neural Networks and Deep
  Learning/Week 4/Building your Deep Neural Network - Step by Step/``);
- "Initialization" (Improving Deep Neural Networks, week 1) and "Optimization Methods" (week 2) of
  2021, in aniket414/improving-deep-neural-network (``W1A1/Initialization.ipynb``,
  ``W2A1/Optimization_methods.ipynb`` and its ``public_tests.py``);
- "Optimization methods" of 2017-2018 in Kulbear/deep-learning-coursera (``Improving Deep Neural
  Networks .../Optimization methods.ipynb``, commit 997fdb2).

The notebooks print 8 decimals, so each value is checked to half a unit of its last printed digit.
"""

from __future__ import annotations

import numpy as np
import pytest

from nncore.model import init_params
from nncore.network import (
    Grads,
    Net,
    backward,
    cross_entropy,
    forward,
    init_net,
    l2_term,
    sizes_of,
)
from nncore.optimizers import (
    Moments,
    adam_step,
    batch_slices,
    epoch_rate,
    gd_step,
    momentum_step,
    permutation,
    zero_moments,
)

PRINTED = 5e-9  # half a unit of the 8th decimal the notebooks print


def _random_net(rng: np.random.Generator, sizes: tuple[int, ...]) -> Net:
    # Moderate weights: the course's log(1 - A) loses digits where the output saturates, and so would the differences.
    W = tuple(rng.normal(size=(n, p)) * 0.7 for p, n in zip(sizes[:-1], sizes[1:], strict=True))
    b = tuple(rng.normal(size=(n, 1)) * 0.5 for n in sizes[1:])
    return Net(W, b)


def _cost(X, Y, net, activation, masks, keep, l2) -> float:
    return cross_entropy(forward(X, net, activation, masks, keep).A[-1], Y) + l2_term(net, l2, X.shape[1])


FAMILIES = [
    # (hidden layers, activation, l2, keep_prob): depth 1 to 4, every activation, L2, dropout with fixed masks
    ((3,), "tanh", 0.0, 1.0),
    ((4, 3), "relu", 0.0, 1.0),
    ((5, 4, 3), "leaky_relu", 0.0, 1.0),
    ((3, 3, 2, 2), "sigmoid", 0.0, 1.0),
    ((4, 3), "tanh", 0.7, 1.0),
    ((5, 3), "relu", 0.0, 0.6),
    ((4, 4, 3), "sigmoid", 0.3, 0.8),
]


@pytest.mark.parametrize(("hidden", "activation", "l2", "keep"), FAMILIES)
def test_every_gradient_matches_central_finite_differences(hidden, activation, l2, keep) -> None:
    rng = np.random.default_rng(len(hidden) * 10 + int(l2 * 10) + int(keep * 10))
    X = rng.normal(size=(3, 25))
    Y = (rng.random((1, 25)) > 0.5).astype(float)
    net = _random_net(rng, sizes_of(3, hidden))
    masks = tuple(rng.random((n, 25)) < keep for n in hidden) if keep < 1 else None
    trace = forward(X, net, activation, masks, keep)
    if activation in ("relu", "leaky_relu"):  # central differences across a kink are not a derivative
        assert min(np.abs(z).min() for z in trace.Z[:-1]) > 1e-5  # steps of 1e-6 move Z by less
    g = backward(X, Y, net, trace, activation, masks, keep, l2)
    eps = 1e-6
    for group, grads in (("W", g.dW), ("b", g.db)):
        for l, analytic in enumerate(grads):
            numeric = np.zeros_like(analytic)
            for idx in np.ndindex(analytic.shape):
                costs = []
                for sign in (1, -1):
                    params = {"W": [w.copy() for w in net.W], "b": [c.copy() for c in net.b]}
                    params[group][l][idx] += sign * eps
                    costs.append(_cost(X, Y, Net(tuple(params["W"]), tuple(params["b"])), activation, masks, keep, l2))
                numeric[idx] = (costs[0] - costs[1]) / (2 * eps)
            np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8, err_msg=f"d{group}{l + 1}")


def test_week3_network_is_the_same_function_in_both_modules() -> None:
    """One hidden tanh layer: nncore.network computes what nncore.model does (to rounding; the order differs)."""
    from nncore import model

    net = init_net((2, 4, 1), "course", seed=2)
    p = init_params(2, 4, 1, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip((net.W[0], net.b[0], net.W[1], net.b[1]), p, strict=True))
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 40)), (rng.random((1, 40)) > 0.5).astype(float)
    p = model.Params(*(a * 50 for a in p))
    net = Net((p.W1, p.W2), (p.b1, p.b2))
    t, c = forward(X, net, "tanh"), model.forward(X, p)
    np.testing.assert_allclose(t.A[-1], c.A2, rtol=1e-14)
    assert cross_entropy(t.A[-1], Y) == pytest.approx(model.cost(c.Z2, Y), rel=1e-12)
    g, h = backward(X, Y, net, t, "tanh"), model.backward(X, Y, p, c)
    for a, b in zip((g.dW[0], g.db[0], g.dW[1], g.db[1]), h, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-16)


def test_saturated_wrong_output_costs_infinity_and_a_saturated_right_one_nothing() -> None:
    """As the course's compute_loss: log(0) is -inf, and nansum skips the 0 * inf of a right answer."""
    AL = np.array([[1.0, 0.0, 0.5]])
    with np.errstate(divide="ignore", invalid="ignore"):
        assert cross_entropy(AL, np.array([[0.0, 0.0, 1.0]])) == np.inf
        assert cross_entropy(AL, np.array([[1.0, 0.0, 1.0]])) == pytest.approx(np.log(2) / 3)


def test_deep_init_is_the_step_by_step_notebooks() -> None:
    """initialize_parameters_deep([5, 4, 3]) of "Building your Deep Neural Network: Step by Step" (seed 3)."""
    net = init_net((5, 4, 3), "course", seed=3)
    W1 = [
        [0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388],
        [-0.00354759, -0.00082741, -0.00627001, -0.00043818, -0.00477218],
        [-0.01313865, 0.00884622, 0.00881318, 0.01709573, 0.00050034],
        [-0.00404677, -0.0054536, -0.01546477, 0.00982367, -0.01101068],
    ]
    W2 = [
        [-0.01185047, -0.0020565, 0.01486148, 0.00236716],
        [-0.01023785, -0.00712993, 0.00625245, -0.00160513],
        [-0.00768836, -0.00230031, 0.00745056, 0.01976111],
    ]
    np.testing.assert_allclose(net.W[0], W1, rtol=0, atol=PRINTED)
    np.testing.assert_allclose(net.W[1], W2, rtol=0, atol=PRINTED)
    assert net.b[0].shape == (4, 1) and net.b[1].shape == (3, 1) and not any(b.any() for b in net.b)


def test_initialisations_are_the_initialization_notebooks() -> None:
    """initialize_parameters_zeros([3, 2, 1]), _random([3, 2, 1]) and _he([2, 4, 1]) as the notebook prints them."""
    zeros = init_net((3, 2, 1), "zeros", seed=3)
    assert [w.shape for w in zeros.W] == [(2, 3), (1, 2)] and not any(w.any() for w in zeros.W)
    random = init_net((3, 2, 1), "random", seed=3)
    np.testing.assert_allclose(
        random.W[0], [[17.88628473, 4.36509851, 0.96497468], [-18.63492703, -2.77388203, -3.54758979]], atol=PRINTED
    )
    np.testing.assert_allclose(random.W[1], [[-0.82741481, -6.27000677]], atol=PRINTED)
    he = init_net((2, 4, 1), "he", seed=3)
    np.testing.assert_allclose(
        he.W[0],
        [[1.78862847, 0.43650985], [0.09649747, -1.8634927], [-0.2773882, -0.35475898], [-0.08274148, -0.62700068]],
        atol=PRINTED,
    )
    np.testing.assert_allclose(he.W[1], [[-0.03098412, -0.33744411, -0.92904268, 0.62552248]], atol=PRINTED)
    xavier = init_net((2, 4, 1), "xavier", seed=3)
    np.testing.assert_allclose(xavier.W[0] * np.sqrt(2), he.W[0], rtol=1e-15)  # sqrt(1/n) against sqrt(2/n)


def _update_test_case() -> tuple[Net, Grads]:
    """The course's update_parameters_with_*_test_case: seed 1, then W1, b1, W2, b2, dW1, db1, dW2, db2 drawn."""
    np.random.seed(1)
    shapes = [(2, 3), (2, 1), (3, 3), (3, 1)]
    W1, b1, W2, b2, dW1, db1, dW2, db2 = (np.random.randn(*s) for s in shapes * 2)
    return Net((W1, W2), (b1, b2)), Grads((dW1, dW2), (db1, db2))


MOMENTUM_W1 = [[1.62544598, -0.61290114, -0.52907334], [-1.07347112, 0.86450677, -2.30085497]]
MOMENTUM_W2 = [
    [0.31930698, -0.24990073, 1.4627996],
    [-2.05974396, -0.32173003, -0.38320915],
    [1.13444069, -1.0998786, -0.1713109],
]
MOMENTUM_B = ([[1.74493465], [-0.76027113]], [[-0.87809283], [0.04055394], [0.58207317]])
MOMENTUM_V = (
    [[-0.11006192, 0.11447237, 0.09015907], [0.05024943, 0.09008559, -0.06837279]],
    [
        [-0.02678881, 0.05303555, -0.06916608],
        [-0.03967535, -0.06871727, -0.08452056],
        [-0.06712461, -0.00126646, -0.11173103],
    ],
)
MOMENTUM_VB = ([[-0.01228902], [-0.09357694]], [[0.02344157], [0.16598022], [0.07420442]])


def test_gradient_descent_is_the_courses_test_case() -> None:
    """update_parameters_with_gd, learning rate 0.01 (2021 notebook)."""
    net, g = _update_test_case()
    new = gd_step(net, g, 0.01)
    np.testing.assert_allclose(
        new.W[0], [[1.63535156, -0.62320365, -0.53718766], [-1.07799357, 0.85639907, -2.29470142]], atol=PRINTED
    )
    np.testing.assert_allclose(new.b[0], [[1.74604067], [-0.75184921]], atol=PRINTED)
    np.testing.assert_allclose(
        new.W[1],
        [
            [0.32171798, -0.25467393, 1.46902454],
            [-2.05617317, -0.31554548, -0.3756023],
            [1.1404819, -1.09976462, -0.1612551],
        ],
        atol=PRINTED,
    )
    np.testing.assert_allclose(new.b[1], [[-0.88020257], [0.02561572], [0.57539477]], atol=PRINTED)


def test_momentum_is_the_courses_test_case() -> None:
    """update_parameters_with_momentum, beta 0.9, learning rate 0.01, from zero velocities (2017 and 2021 alike)."""
    net, g = _update_test_case()
    new, state = momentum_step(net, g, zero_moments(net, "momentum"), 0.01, 0.9)
    np.testing.assert_allclose(new.W[0], MOMENTUM_W1, atol=PRINTED)
    np.testing.assert_allclose(new.W[1], MOMENTUM_W2, atol=PRINTED)
    for got, want in zip(new.b, MOMENTUM_B, strict=True):
        np.testing.assert_allclose(got, want, atol=PRINTED)
    for got, want in zip(state.vdW + state.vdb, MOMENTUM_V + MOMENTUM_VB, strict=True):
        np.testing.assert_allclose(got, want, atol=PRINTED)


def test_adam_is_the_2021_courses_test_case() -> None:
    """update_parameters_with_adam at t = 2, learning rate 0.02, beta1 0.8, beta2 0.888, epsilon 0.01 (2021).

    The expected moments are public_tests.py's (first row of each); the parameters the notebook's print.
    """
    net, g = _update_test_case()
    new, s = adam_step(net, g, zero_moments(net, "adam"), 2, 0.02, 0.8, 0.888, 1e-2)
    np.testing.assert_allclose(
        new.W[0], [[1.63942428, -0.6268425, -0.54320974], [-1.08782943, 0.85036983, -2.2865723]], atol=PRINTED
    )
    np.testing.assert_allclose(
        new.W[1],
        [
            [0.33356139, -0.26425199, 1.47707772],
            [-2.04538458, -0.30744933, -0.36903141],
            [1.14873036, -1.09256871, -0.15734651],
        ],
        atol=PRINTED,
    )
    np.testing.assert_allclose(new.b[0], [[1.75854357], [-0.74616067]], atol=PRINTED)
    np.testing.assert_allclose(new.b[1], [[-0.89228024], [0.02707193], [0.56782561]], atol=PRINTED)
    np.testing.assert_allclose(s.vdW[0][0], [-0.22012384, 0.22894474, 0.18031814], atol=PRINTED)
    np.testing.assert_allclose(s.vdW[1][0], [-0.05357762, 0.10607109, -0.13833215], atol=PRINTED)
    np.testing.assert_allclose(s.vdb[0][0], [-0.02457805], atol=PRINTED)
    np.testing.assert_allclose(s.vdb[1][0], [0.04688314], atol=PRINTED)
    np.testing.assert_allclose(s.sdW[0][0], [0.13567261, 0.14676395, 0.09104097], atol=PRINTED)
    np.testing.assert_allclose(s.sdW[1][0], [8.03757060e-03, 3.15030152e-02, 5.35801947e-02], atol=PRINTED)
    np.testing.assert_allclose(s.sdb[0][0], [0.00169142], atol=PRINTED)
    np.testing.assert_allclose(s.sdb[1][0], [0.00615448], atol=PRINTED)


def test_adam_is_the_2017_courses_test_case_but_for_its_epsilon_under_the_root() -> None:
    """update_parameters_with_adam at t = 2 with the defaults (0.01, 0.9, 0.999, 1e-8): the 2017 notebook's table.

    That table was computed with ``sqrt(s_corrected + epsilon)``, where the course's formula (and
    its 2021 table, above) has ``sqrt(s_corrected) + epsilon``. The two differ visibly in one entry,
    W2[2, 1], whose gradient is tiny (s = 1.6e-7): -1.09245036 in the table, -1.09244991 here.
    """
    net, g = _update_test_case()
    new, s = adam_step(net, g, zero_moments(net, "adam"), 2, 0.01, 0.9, 0.999, 1e-8)
    W2 = np.array(
        [
            [0.32648046, -0.25681174, 1.46954931],
            [-2.05269934, -0.31497584, -0.37661299],
            [1.14121081, -1.09245036, -0.16498684],
        ]
    )
    np.testing.assert_allclose(
        new.W[0], [[1.63178673, -0.61919778, -0.53561312], [-1.08040999, 0.85796626, -2.29409733]], atol=PRINTED
    )
    np.testing.assert_allclose(np.delete(new.W[1].ravel(), 7), np.delete(W2.ravel(), 7), atol=PRINTED)
    np.testing.assert_allclose(new.b[0], [[1.75225313], [-0.75376553]], atol=PRINTED)
    np.testing.assert_allclose(new.b[1], [[-0.88529978], [0.03477238], [0.57537385]], atol=PRINTED)
    for got, want in zip(s.vdW + s.vdb, MOMENTUM_V + MOMENTUM_VB, strict=True):  # the same first moment as momentum's
        np.testing.assert_allclose(got, want, atol=PRINTED)
    np.testing.assert_allclose(
        s.sdW[0], [[0.00121136, 0.00131039, 0.00081287], [0.0002525, 0.00081154, 0.00046748]], atol=PRINTED
    )
    np.testing.assert_allclose(s.sdb[0], [[1.51020075e-05], [8.75664434e-04]], rtol=5e-9)
    assert round(float(new.W[1][2, 1]), 8) == -1.09244991
    c1, c2 = 1 - 0.9**2, 1 - 0.999**2
    under_the_root = net.W[1] - 0.01 * (s.vdW[1] / c1) / np.sqrt(s.sdW[1] / c2 + 1e-8)
    assert round(float(under_the_root[2, 1]), 8) == W2[2, 1]


def test_zero_moments_are_the_courses_initialize_velocity_and_adam() -> None:
    net = init_net((2, 3, 1), "he", 3)
    assert zero_moments(net, "gd") == Moments((), (), (), ())
    v = zero_moments(net, "momentum")
    assert [a.shape for a in v.vdW + v.vdb] == [(3, 2), (1, 3), (3, 1), (1, 1)] and not v.sdW
    a = zero_moments(net, "adam")
    assert all(not x.any() for x in a.vdW + a.vdb + a.sdW + a.sdb) and len(a.sdW) == 2


def test_mini_batches_are_the_courses_random_mini_batches() -> None:
    """random_mini_batches_test_case: seed 1, X randn(12288, 148), batches of 64, shuffled with seed 0.

    Published: shapes (12288, 64), (12288, 64), (12288, 20); "mini batch sanity check:
    [ 0.90085595 -0.7612069   0.2344157 ]", the first row's first three entries of the first batch.
    """
    np.random.seed(1)
    X = np.random.randn(12288, 148)
    order = permutation(148, 0)
    slices = batch_slices(148, 64)
    assert [s.stop - s.start for s in slices] == [64, 64, 20]
    np.testing.assert_allclose(X[:, order][:, slices[0]][0, :3], [0.90085595, -0.7612069, 0.2344157], atol=PRINTED)


def test_decay_is_the_courses_update_lr_and_schedule_lr_decay_one_epoch_later() -> None:
    """update_lr(0.5, 2, 1) = 0.16666666666666666; schedule_lr_decay(0.5, 10 or 100, 0.3, 100) = 0.5 or 0.38461...

    The course's loop sets the rate after epoch i, so epoch i + 1 runs at it; epochs 0 and 1 at the initial rate.
    """
    assert epoch_rate(0.5, 3, 1.0, 1) == 0.16666666666666666
    assert epoch_rate(0.5, 11, 0.3, 100) == 0.5
    assert epoch_rate(0.5, 101, 0.3, 100) == 0.3846153846153846
    assert epoch_rate(0.5, 0, 1.0, 1) == epoch_rate(0.5, 1, 1.0, 1) == 0.5
    assert epoch_rate(0.5, 7, 0.0, 1) == 0.5
