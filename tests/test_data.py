"""The data sets: the flower bit for bit as the course draws it, the extra sets seeded."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pytest

from nncore.config import DATASETS
from nncore.data import load_dataset, load_flower


def _course_load_planar_dataset() -> tuple[np.ndarray, np.ndarray]:
    """The course's planar_utils.load_planar_dataset, verbatim apart from style: the oracle."""
    np.random.seed(1)
    m = 400
    N = int(m / 2)
    D = 2
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")
    a = 4
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def test_flower_matches_course_bit_for_bit() -> None:
    X, Y = load_flower(1)
    Xc, Yc = _course_load_planar_dataset()
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    assert np.array_equal(X, Xc)
    assert np.array_equal(Y, Yc.astype(np.float64))


def test_flower_published_first_points() -> None:
    X, _ = load_flower(1)
    expected = np.array([[1.204442, 0.15871, 0.095247], [3.576114, -1.482171, -1.279955]])
    np.testing.assert_allclose(X[:, :3], expected, atol=5e-7)


def test_flower_does_not_touch_global_random_state() -> None:
    np.random.seed(123)
    before = cast(tuple[Any, ...], np.random.get_state())[1].copy()
    load_flower(1)
    assert np.array_equal(cast(tuple[Any, ...], np.random.get_state())[1], before)


@pytest.mark.parametrize("name", DATASETS)
def test_every_dataset_is_seeded_and_shaped(name: str) -> None:
    noise = 0.2 if name == "spiral" else None  # the Playground's spiral has no noise by default: no draws
    X, Y = load_dataset(name, seed=3, noise=noise)
    X2, Y2 = load_dataset(name, seed=3, noise=noise)
    X3, _ = load_dataset(name, seed=4, noise=noise)
    m = 400 if name == "flower" else 200
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    assert not np.array_equal(X, X3)


def test_points_override() -> None:
    X, Y = load_dataset("moons", seed=0, points=50)
    assert X.shape == (2, 50) and Y.shape == (1, 50)
