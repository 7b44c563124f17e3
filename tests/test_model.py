"""The model's maths against independent oracles: central finite differences and the course."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nncore import TrainConfig, train
from nncore.data import load_flower
from nncore.model import Grads, Params, accuracy, backward, cost, forward, init_params, predict, predict_grid, update


def _naive_cost(A2: np.ndarray, Y: np.ndarray) -> float:
    """The course's compute_cost, literally."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(1 - Y, np.log(1 - A2))
    return float(-np.sum(logprobs) / m)


def _random_params(rng: np.random.Generator, n_h: int, scale: float = 1.0) -> Params:
    return Params(
        rng.normal(size=(n_h, 2)) * scale,
        rng.normal(size=(n_h, 1)) * scale,
        rng.normal(size=(1, n_h)) * scale,
        rng.normal(size=(1, 1)) * scale,
    )


@pytest.mark.parametrize("n_h", [1, 4, 7])
def test_every_gradient_matches_central_finite_differences(n_h: int) -> None:
    rng = np.random.default_rng(n_h)
    X = rng.normal(size=(2, 30))
    Y = (rng.random((1, 30)) > 0.5).astype(float)
    p = _random_params(rng, n_h)
    g = backward(X, Y, p, forward(X, p))
    eps = 1e-6
    for k, name in enumerate(Params._fields):
        analytic = g[k]
        numeric = np.zeros_like(p[k])
        for idx in np.ndindex(p[k].shape):
            plus = [a.copy() for a in p]
            minus = [a.copy() for a in p]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            numeric[idx] = (cost(forward(X, Params(*plus)).Z2, Y) - cost(forward(X, Params(*minus)).Z2, Y)) / (2 * eps)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8, err_msg=f"d{name}")
        assert analytic.shape == p[k].shape


def test_cost_agrees_with_course_formula() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 50))
    Y = (rng.random((1, 50)) > 0.5).astype(float)
    c = forward(X, _random_params(rng, 4))
    assert cost(c.Z2, Y) == pytest.approx(_naive_cost(c.A2, Y), rel=1e-12)


def test_saturated_outputs_give_finite_cost_and_no_warnings() -> None:
    Y = np.array([[1.0, 0.0, 1.0]])
    Z2 = np.array([[-800.0, 800.0, 50.0]])  # exp overflows, sigmoid rounds to exactly 0 and 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = cost(Z2, Y)
    assert np.isfinite(J)
    assert J == pytest.approx((800 + 800 + np.log1p(np.exp(-50))) / 3)


def test_init_matches_course() -> None:
    np.random.seed(2)  # the course's initialize_parameters, as the oracle
    W1 = np.random.randn(4, 2) * 0.01
    W2 = np.random.randn(1, 4) * 0.01
    p = init_params(2, 4, 1, seed=2)
    assert np.array_equal(p.W1, W1) and np.array_equal(p.W2, W2)
    assert not p.b1.any() and not p.b2.any()
    assert p.b1.shape == (4, 1) and p.b2.shape == (1, 1)


def test_update_is_gradient_step() -> None:
    rng = np.random.default_rng(1)
    p = _random_params(rng, 3)
    g = Grads(*_random_params(rng, 3))
    q = update(p, g, 0.5)
    for a, b, c in zip(q, p, g, strict=True):
        np.testing.assert_array_equal(a, b - 0.5 * c)


def test_predict_threshold_and_accuracy() -> None:
    p = Params(np.zeros((1, 2)), np.zeros((1, 1)), np.zeros((1, 1)), np.array([[0.1]]))
    X = np.zeros((2, 4))
    assert predict(X, p).tolist() == [[1.0, 1.0, 1.0, 1.0]]
    assert accuracy(np.array([[0.9, 0.2, 0.6, 0.4]]), np.array([[1.0, 0.0, 0.0, 0.0]])) == 0.75


def test_predict_grid_orientation() -> None:
    # Output depends on x only: rows (y) must be identical, columns increase with x.
    p = Params(np.array([[1.0, 0.0]]), np.zeros((1, 1)), np.array([[3.0]]), np.zeros((1, 1)))
    grid = predict_grid(p, np.linspace(-1, 1, 5), np.linspace(-2, 2, 3))
    assert grid.shape == (3, 5)
    assert np.allclose(grid[0], grid[2])
    assert np.all(np.diff(grid[0]) > 0)


def test_course_published_numbers_with_defaults() -> None:
    """The course prints "Cost after iteration 0: 0.693048", "...1000: 0.288083", "Accuracy: 90%"."""
    h = train(TrainConfig())
    assert round(float(h.cost[0]), 6) == 0.693048
    assert round(float(h.cost[1000]), 6) == 0.288083
    assert round(float(h.cost[2000]), 6) == 0.254385
    assert float(h.accuracy[-1]) == 0.9075
    X, Y = load_flower(1)
    # The course's accuracy formula on its predictions, as a second opinion.
    pred = predict(X, h.params(-1))
    course_acc = ((np.dot(Y, pred.T) + np.dot(1 - Y, 1 - pred.T)) / Y.size * 100).item()
    assert int(course_acc) == 90


def test_cost_of_signs_is_costs_number_bit_for_bit() -> None:
    from nncore.model import cost_of_signs

    rng = np.random.default_rng(5)
    for scale in (0.1, 3.0, 40.0, 800.0):
        Z2 = rng.normal(size=(1, 400)) * scale
        Y = (rng.random((1, 400)) > 0.5).astype(float)
        assert cost_of_signs(Z2, np.where(Y > 0.5, 1.0, -1.0)) == cost(Z2, Y)
    with np.errstate(invalid="ignore"):
        assert np.isnan(cost(np.array([[np.inf, 0.0]]), np.array([[1.0, 0.0]])))  # why the trainer checks Z2 too
